import type { LiveChange } from '../../live/instrument-view.ts';
import type { StreamSnapshot } from '../live-stream.ts';
import { byId } from './dom.ts';

export interface LiveHandlers {
  snapshot(snapshot: StreamSnapshot): void;
  change(change: LiveChange): void;
}

/**
 * Follows `/api/v1/stream`. EventSource reconnects by itself after a break; each reconnection
 * starts with a fresh snapshot, so the page never shows what it missed as current. The header's
 * badge says whether the page is live.
 */
export function connectLive(handlers: LiveHandlers): EventSource {
  const badge = byId('connection');
  const show = (state: 'live' | 'reconnecting', text: string) => {
    badge.dataset['state'] = state;
    badge.textContent = text;
  };
  const source = new EventSource('/api/v1/stream');
  let connections = 0;
  source.addEventListener('snapshot', (message) => {
    show('live', 'live');
    // How many times the stream (re)connected: for people debugging a flaky network, and tests.
    badge.dataset['connections'] = String(++connections);
    handlers.snapshot(JSON.parse((message as MessageEvent<string>).data) as StreamSnapshot);
  });
  source.addEventListener('change', (message) => {
    handlers.change(JSON.parse((message as MessageEvent<string>).data) as LiveChange);
  });
  source.addEventListener('error', () => show('reconnecting', 'reconnecting…'));
  return source;
}
