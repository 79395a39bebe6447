// `attune-monitor/slack`: Attune in a lab's own Bolt JS bot (docs/slack.md, "Mounted into a lab's bot").
export { mountAttune, type AttuneMount, type AttuneMountOptions, type LocalLive, type RemoteLive } from './mount-attune.ts';
export { readUserMap, SlackUserMap } from './config/user-map.ts';
export { escapeText } from './blocks/mrkdwn.ts';
export { SLACK_CALL_TIMEOUT_MS, SLACK_RETRY_POLICY } from './slack-client-options.ts';
export type { InstrumentView, LiveAlert, LiveChange, LiveFeed } from '../live/instrument-view.ts';
