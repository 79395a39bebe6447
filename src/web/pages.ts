import { escapeHtml } from './html.ts';
import { OUTCOME_MARKS } from './shared/outcomes.ts';

// The pages are small HTML shells; their scripts (client/*.ts) fill them from the JSON endpoints
// and the live stream. What needs no data (the statechart's drawing, the preview's first render)
// is in the HTML already, so it shows even before the script runs.

type PageName = 'dashboard' | 'statechart' | 'slack-preview' | 'kiosk';

const NAV: ReadonlyArray<[Exclude<PageName, 'kiosk'>, string, string]> = [
  ['dashboard', '/', 'Dashboard'],
  ['statechart', '/statechart', 'Statechart'],
  ['slack-preview', '/slack-preview', 'Slack home tab'],
];

function page(name: Exclude<PageName, 'kiosk'>, title: string, body: string): string {
  const nav = NAV.map(([key, href, label]) => `<a href="${href}"${key === name ? ' aria-current="page"' : ''}>${label}</a>`).join('');
  return `${head(name, title)}
<body data-page="${name}">
<header class="top"><span class="brand">attune-monitor</span><nav>${nav}</nav><span id="connection" class="connection" data-state="connecting" role="status" aria-live="polite">connecting…</span></header>
<main>
${body}
</main>
</body>
</html>`;
}

function head(name: PageName, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · attune-monitor</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="data:,">
<script type="module" src="/assets/${name}.js"></script>
</head>`;
}

/**
 * One instrument on a whole screen, for a monitor beside the Attune software or on the lab's
 * wall: no navigation, large type; the script fills `#kiosk` from the live stream.
 */
export function kioskPage(instrument: string): string {
  const id = escapeHtml(instrument);
  return `${head('kiosk', instrument)}
<body data-page="kiosk" data-instrument="${id}">
<main id="kiosk" class="kiosk" data-availability="unknown">
<header class="k-head"><h1 class="k-name">${id}</h1><span id="connection" class="connection" data-state="connecting" role="status" aria-live="polite">connecting…</span></header>
<div id="kiosk-body"><p class="k-state" data-state-word>…</p><p class="k-line">Waiting for the server…</p></div>
</main>
</body>
</html>`;
}

export function dashboardPage(): string {
  return page(
    'dashboard',
    'Dashboard',
    `<section aria-labelledby="h-now"><h1 id="h-now">Now</h1><div id="instruments" class="cards"><p class="empty">Waiting for the server…</p></div></section>
<section aria-labelledby="h-today"><h2 id="h-today">Today's runs</h2><div id="timeline" class="timeline"></div>${timelineLegend()}</section>
<section aria-labelledby="h-durations"><h2 id="h-durations">How long procedures take</h2>
<form id="duration-filters" class="filters">
<label>Instrument <select name="instrument"><option value="">all</option></select></label>
<label>Per <select name="bucket"><option value="day">day</option><option value="week">week</option></select></label>
<label>Over <select name="days"><option value="30">30 days</option><option value="90" selected>90 days</option><option value="365">a year</option></select></label>
</form>
${durationLegend()}
<div id="durations" class="charts"></div></section>
<section aria-labelledby="h-history"><h2 id="h-history">Run history</h2>
<form id="run-filters" class="filters">
<label>Instrument <select name="instrument"><option value="">all</option></select></label>
<label>Procedure <select name="procedure"><option value="">all</option></select></label>
<label>User <select name="user"><option value="">all</option></select></label>
<label>Outcome <select name="outcome"><option value="">all</option><option>completed</option><option>cancelled</option><option>failed</option><option>unconfirmed</option><option>interrupted</option><option value="open">still running</option></select></label>
<label>From <input type="date" name="from"></label>
<label>To <input type="date" name="to"></label>
</form>
<p id="history-count" class="muted"></p>
<div class="table-wrap"><table id="history"><thead><tr><th>Started</th><th>Instrument</th><th>Procedure</th><th>User</th><th>Outcome</th><th>Duration</th><th></th></tr></thead><tbody></tbody></table></div>
<button id="history-more" type="button" hidden>Show more</button></section>`,
  );
}

/** What the timeline's colours and marks mean (the marks are drawn in the bars too). */
function timelineLegend(): string {
  const items = Object.entries(OUTCOME_MARKS).map(
    ([key, { mark, word }]) => `<li data-outcome="${key}"><span class="swatch ${key}" aria-hidden="true">${mark}</span>${word}</li>`,
  );
  items.push('<li><span class="now-mark" aria-hidden="true"></span>now</li>');
  return `<ul class="legend" id="timeline-legend" aria-label="Legend of the timeline">${items.join('')}</ul>`;
}

/** What the duration charts' lines mean, once for all of them. */
function durationLegend(): string {
  const line = (kind: string) => `<svg class="legend-line" viewBox="0 0 28 10" width="28" height="10" aria-hidden="true"><path class="${kind}" d="M 1 5 L 27 5"/></svg>`;
  return `<ul class="legend" id="durations-legend" aria-label="Legend of the duration charts">
<li data-series="median">${line('median')}median: half the runs took less</li>
<li data-series="p90">${line('p90')}p90: 9 runs in 10 took less</li>
<li data-series="band"><span class="band-mark" aria-hidden="true"></span>between the two</li>
<li class="muted">one point per day or week; hover a point for its runs</li>
</ul>`;
}

export function statechartPage(svg: string): string {
  return page(
    'statechart',
    'Statechart',
    `<section aria-labelledby="h-chart"><h1 id="h-chart">The instrument's state machine</h1>
<p class="muted">Drawn from the machine the monitor runs (<code>src/machines/monitor-machine.ts</code>), laid out by ELK: each arrow is a transition, labelled with its events; a name in <b>[brackets]</b> is a guard. Events listed inside a state change its data, not the state.</p>
<form id="chart-controls" class="filters">
<label>Instrument <select name="instrument"></select></label>
<label>Show <select name="mode"><option value="live">live (today)</option><option value="day">a past day</option><option value="run">a run</option></select></label>
<label data-for="day" hidden>Day <input type="date" name="day"></label>
<label data-for="run" hidden>Run <select name="run"></select></label>
</form>
<div class="player" id="player" hidden>
<button type="button" data-step="first" title="first step">◀◀</button>
<button type="button" data-step="prev" title="previous step">◀</button>
<button type="button" data-step="play" title="play / pause">play</button>
<button type="button" data-step="next" title="next step">▶</button>
<button type="button" data-step="last" title="last step">▶▶</button>
<input type="range" name="position" min="0" max="0" value="0" aria-label="step">
<span id="step-label" class="muted"></span>
</div>
<div id="chart" class="chart-wrap">${svg}</div>
<p id="chart-status" class="muted"></p>
</section>
<section aria-labelledby="h-log"><h2 id="h-log">Transitions</h2>
<p id="transitions-count" class="muted"></p>
<div class="table-wrap"><table id="transitions"><thead><tr><th>Time</th><th>Event</th><th>From</th><th>To</th><th>What happened</th></tr></thead><tbody></tbody></table></div>
<button id="transitions-more" type="button" hidden>Show more</button></section>`,
  );
}

export function slackPreviewPage(previewHtml: string): string {
  return page(
    'slack-preview',
    'Slack home tab',
    `<section aria-labelledby="h-preview"><h1 id="h-preview">The Slack home tab</h1>
<p class="muted">The blocks the Slack app publishes to each user's home tab, drawn here as Slack shows them, updated live. Buttons are shown but do nothing here.</p>
<div id="preview" class="slack-preview">${previewHtml}</div></section>`,
  );
}
