import { byId, getJson, throttle } from './dom.ts';
import { connectLive } from './live-connection.ts';

// The Slack preview: the server renders the home tab's blocks as HTML; this script re-renders
// it when an instrument changes, and shows `<!date^…>` times in the viewer's zone as Slack does.

const preview = byId('preview');

/** Slack's date tokens in `{…}` → the viewer's local forms (the common ones). */
function formatDate(date: Date, format: string): string {
  const forms: Record<string, string> = {
    '{time}': date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    '{time_secs}': date.toLocaleTimeString(),
    '{date_short}': date.toLocaleDateString([], { month: 'short', day: 'numeric', year: 'numeric' }),
    '{date}': date.toLocaleDateString([], { month: 'long', day: 'numeric', year: 'numeric' }),
    '{date_long}': date.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    '{date_num}': date.toLocaleDateString(),
    '{date_short_pretty}': date.toLocaleDateString([], { month: 'short', day: 'numeric', year: 'numeric' }),
    '{date_pretty}': date.toLocaleDateString([], { month: 'long', day: 'numeric', year: 'numeric' }),
    '{date_long_pretty}': date.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
  };
  return format.replace(/\{[a-z_]+\}/g, (token) => forms[token] ?? token);
}

function localiseDates(): void {
  for (const time of preview.querySelectorAll<HTMLTimeElement>('time.bk-date')) {
    const format = time.dataset['format'];
    if (format !== undefined && format !== '') time.textContent = formatDate(new Date(time.dateTime), format);
  }
}

const refresh = throttle(() => {
  getJson<{ html: string }>('/api/v1/web/slack-preview')
    .then((answer) => {
      // The server escaped every text in it (block-kit-html.ts): this is its own markup.
      preview.innerHTML = answer.html;
      localiseDates();
    })
    .catch((error: unknown) => console.warn('slack preview: could not refresh', error));
}, 2000);

localiseDates();
connectLive({ snapshot: refresh, change: refresh });
