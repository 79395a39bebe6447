import type { InstrumentView } from '../../live/instrument-view.ts';
import type { DurationSeries } from '../charts/duration-series.ts';
import type { RunFacets, RunPage } from '../../store/procedure-runs-projection.ts';
import { byId, el, getJson, isoDate, localDay, patchElement, throttle } from './dom.ts';
import { drawDurationCharts } from './duration-charts.ts';
import { instrumentCard } from './instrument-cards.ts';
import { connectLive } from './live-connection.ts';
import { RunHistory } from './run-history.ts';
import { drawTimeline } from './timeline-view.ts';

// The dashboard: live cards from the stream, today's timeline and the history reloaded when an
// instrument changes (at most every few seconds), the duration charts on demand.

const views = new Map<string, InstrumentView>();
const cards = byId('instruments');
/** The card on the page of each instrument: updated in place, never rebuilt. */
const cardNodes = new Map<string, HTMLElement>();
const timeline = byId('timeline');
const history = new RunHistory();
const durationForm = byId<HTMLFormElement>('duration-filters');
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function drawCards(): void {
  const now = Date.now();
  if (views.size === 0) {
    cardNodes.clear();
    cards.replaceChildren(el('p', { class: 'empty' }, 'No instrument has reported yet. Start an agent on the instrument PC (see the README).'));
    return;
  }
  const wanted = [...views.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((view) => {
      const fresh = instrumentCard(view, now);
      const card = cardNodes.get(view.id);
      if (card === undefined) {
        cardNodes.set(view.id, fresh);
        return fresh;
      }
      patchElement(card, fresh);
      return card;
    });
  // Only a new or vanished instrument changes the list itself.
  if (wanted.length !== cards.children.length || wanted.some((card, i) => cards.children[i] !== card)) cards.replaceChildren(...wanted);
}

async function loadTimeline(): Promise<void> {
  const day = localDay(Date.now());
  const page = await getJson<RunPage>('/api/v1/web/runs', { from: new Date(day.start).toISOString(), to: new Date(day.end).toISOString(), limit: '1000' });
  const lanes = [...new Set([...views.keys(), ...page.runs.map((run) => run.instrumentId)])].sort();
  drawTimeline(timeline, page.runs, lanes, day, Date.now());
}

async function loadFacets(): Promise<void> {
  const facets = await getJson<RunFacets>('/api/v1/web/facets');
  const select = (form: HTMLFormElement, name: string) => form.elements.namedItem(name) as HTMLSelectElement;
  const runFilters = byId<HTMLFormElement>('run-filters');
  setOptions(select(runFilters, 'instrument'), facets.instruments);
  setOptions(select(runFilters, 'procedure'), facets.procedures);
  setOptions(select(runFilters, 'user'), facets.users);
  setOptions(select(durationForm, 'instrument'), facets.instruments);
}

/** Keeps the first option ("all") and the current choice. */
function setOptions(select: HTMLSelectElement, values: readonly string[]): void {
  const chosen = select.value;
  const all = select.options[0];
  select.replaceChildren(...(all === undefined ? [] : [all]), ...values.map((value) => el('option', { value }, value)));
  select.value = values.includes(chosen) ? chosen : '';
}

async function loadDurations(): Promise<void> {
  const data = new FormData(durationForm);
  const days = Number(data.get('days') ?? 90);
  const bucket = String(data.get('bucket') ?? 'day');
  const today = localDay(Date.now());
  const from = today.end - days * 86_400_000;
  const answer = await getJson<{ series: DurationSeries[] }>('/api/v1/web/durations', {
    instrument: String(data.get('instrument') ?? ''),
    bucket,
    from: new Date(from).toISOString(),
    to: new Date(today.end).toISOString(),
    tz: zone,
  });
  // The axis starts at the first run of the period, not before: a young history fills the width.
  const first = answer.series.flatMap((one) => one.points.map((point) => point.start)).sort()[0];
  const fromDate = first !== undefined && first > isoDate(from) ? first : isoDate(from);
  drawDurationCharts(byId('durations'), answer.series, { fromDate, toDate: isoDate(today.start) }, bucket);
}

function report(error: unknown): void {
  console.warn('dashboard: could not refresh', error);
}

const refreshRuns = throttle(() => {
  loadTimeline().catch(report);
  history.reload().catch(report);
}, 3000);

connectLive({
  snapshot(snapshot) {
    views.clear();
    for (const view of snapshot.instruments) views.set(view.id, view);
    for (const id of cardNodes.keys()) if (!views.has(id)) cardNodes.delete(id);
    drawCards();
    refreshRuns();
  },
  change(change) {
    if (change.type !== 'instrument_changed') return;
    views.set(change.view.id, change.view);
    drawCards();
    refreshRuns();
  },
});

durationForm.addEventListener('change', () => void loadDurations().catch(report));
// Elapsed times and countdowns move every second between updates.
setInterval(drawCards, 1000);
// The timeline's "now" line moves too, and a new day starts at midnight.
setInterval(() => void loadTimeline().catch(report), 60_000);
window.addEventListener('resize', throttle(() => void loadTimeline().catch(report), 500));
loadFacets()
  .then(() => Promise.all([history.reload(), loadDurations()]))
  .catch(report);
