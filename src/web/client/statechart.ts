import type { ProcedureRun, RunPage } from '../../store/procedure-runs-projection.ts';
import type { StateReplay, StateStep } from '../replay/state-replay.ts';
import { byId, el, getJson, isoDate, localClock, localDateTime, localDay, localMidnight, throttle } from './dom.ts';
import { connectLive } from './live-connection.ts';

// The statechart page: the drawing is in the HTML (generated on the server from the machine);
// this script highlights the active states and the transition just taken, live or step by step
// through a replay of a past day or run, computed by the server from the stored events.

type Mode = 'live' | 'day' | 'run';
type Replay = StateReplay & { instrument: string; run: ProcedureRun | null };

const controls = byId<HTMLFormElement>('chart-controls');
const field = <T extends Element>(name: string) => controls.elements.namedItem(name) as unknown as T;
const instrumentSelect = field<HTMLSelectElement>('instrument');
const modeSelect = field<HTMLSelectElement>('mode');
const dayInput = field<HTMLInputElement>('day');
const runSelect = field<HTMLSelectElement>('run');
const player = byId('player');
const slider = player.querySelector('input[name="position"]') as HTMLInputElement;
const stepLabel = byId('step-label');
const status = byId('chart-status');
const log = byId('transitions').querySelector('tbody') as HTMLTableSectionElement;
const logCount = byId('transitions-count');
const logMore = byId<HTMLButtonElement>('transitions-more');
/** The log shows this many rows at first, and this many more on each "Show more". */
const LOG_PAGE = 50;
/** Positions of the replay's steps in the order the log lists them; the first `logShown` are drawn. */
let logOrder: number[] = [];
let logShown = 0;
let logNewestFirst = true;
const chart = byId('chart');

let replay: Replay | null = null;
let position = 0;
let playing: ReturnType<typeof setInterval> | null = null;
const params = new URLSearchParams(location.search);

/** The states a step left and entered, region by region, naming only the regions that moved. */
function moved(step: StateStep): { from: string; to: string } {
  const changed = step.to.map((to, i) => ({ from: step.from[i] ?? to, to })).filter((pair) => pair.from !== pair.to);
  const pairs = changed.length === 0 ? step.to.map((to, i) => ({ from: step.from[i] ?? to, to })).slice(0, 1) : changed;
  const name = (id: string) => id.split('.').slice(2).join('.');
  return { from: pairs.map((pair) => name(pair.from)).join(', '), to: pairs.map((pair) => name(pair.to)).join(', ') };
}

/** The states active at a position of the replay: before any step (0) or after step `position`. */
function statesAt(at: number): string[] {
  if (replay === null) return [];
  return at === 0 ? replay.initial : (replay.steps[at - 1]?.to ?? replay.initial);
}

/**
 * Edges the step took: one per region whose state changed, and the self loop of a region that
 * stayed, when the loop is the step's own event (a re-entry such as a second login).
 */
function edgesOf(step: StateStep | undefined): string[] {
  if (step === undefined) return [];
  return step.to.flatMap((to, i) => {
    const from = step.from[i] ?? to;
    const id = `${from}->${to}`;
    if (from !== to) return [id];
    const loop = chart.querySelector(`[data-label-of="${CSS.escape(id)}"]`);
    return loop?.querySelector(`[data-event="${CSS.escape(step.event)}"]`) ? [id] : [];
  });
}

function highlight(): void {
  const active = new Set(statesAt(position));
  for (const node of chart.querySelectorAll<SVGGElement>('[data-state]')) node.classList.toggle('active', active.has(node.dataset['state'] ?? ''));
  const taken = new Set(position === 0 ? [] : edgesOf(replay?.steps[position - 1]));
  for (const edge of chart.querySelectorAll<SVGGElement>('[data-edge]')) edge.classList.toggle('taken', taken.has(edge.dataset['edge'] ?? ''));
  for (const label of chart.querySelectorAll<SVGGElement>('[data-label-of]')) label.classList.toggle('taken', taken.has(label.dataset['labelOf'] ?? ''));
  if (position > 0) showLogRow(position);
  for (const row of log.querySelectorAll('tr')) row.classList.toggle('current', Number(row.dataset['position']) === position);
  const steps = replay?.steps.length ?? 0;
  slider.max = String(steps);
  slider.value = String(position);
  const step = replay?.steps[position - 1];
  stepLabel.textContent = step === undefined ? `start of the window (${steps} steps)` : `step ${position} of ${steps}: ${step.event} at ${localDateTime(step.at)}`;
}

function drawLog(newestFirst: boolean): void {
  if (replay === null) return;
  logNewestFirst = newestFirst;
  logOrder = replay.steps.map((_, i) => i + 1);
  if (newestFirst) logOrder.reverse();
  logShown = 0;
  log.replaceChildren();
  if (logOrder.length === 0) log.append(el('tr', {}, el('td', { colspan: '5', class: 'empty' }, 'No transitions in this window.')));
  showMoreLog(LOG_PAGE);
}

/** Draws the next `count` rows of the log (a busy day has hundreds: they come on demand). */
function showMoreLog(count: number): void {
  if (replay === null) return;
  const steps = replay.steps;
  const next = logOrder.slice(logShown, logShown + count);
  const rows = next.map((position) => {
    const step = steps[position - 1]!;
    const { from, to } = moved(step);
    const row = el(
      'tr',
      { 'data-position': String(position) },
      el('td', {}, localClock(Date.parse(step.at), true)),
      el('td', {}, el('code', {}, step.event), step.detail === '' ? '' : ` ${step.detail}`),
      el('td', {}, from),
      el('td', {}, to),
      el('td', {}, step.outputs.join('; ')),
    );
    row.addEventListener('click', () => go(position));
    return row;
  });
  log.append(...rows);
  logShown += next.length;
  const left = logOrder.length - logShown;
  logMore.hidden = left <= 0;
  logMore.textContent = `Show ${Math.min(LOG_PAGE, left)} more`;
  logCount.textContent = logOrder.length === 0 ? '' : `${logShown} of ${logOrder.length} transitions, ${logNewestFirst ? 'newest' : 'oldest'} first`;
}

/** Draws the log down to the row of `position`, so the step the player is at is always listed. */
function showLogRow(position: number): void {
  const index = logOrder.indexOf(position);
  if (index >= logShown) showMoreLog(index + 1 - logShown);
}

function go(at: number): void {
  position = Math.max(0, Math.min(at, replay?.steps.length ?? 0));
  highlight();
}

async function load(): Promise<void> {
  const mode = modeSelect.value as Mode;
  const instrument = instrumentSelect.value;
  for (const label of controls.querySelectorAll<HTMLElement>('label[data-for]')) label.hidden = label.dataset['for'] !== mode;
  player.hidden = mode === 'live';
  stopPlaying();
  if (mode === 'run') {
    if (runSelect.value === '') await loadRuns(instrument);
    if (runSelect.value === '') return showStatus('No runs to replay for this instrument.');
    replay = await getJson<Replay>('/api/v1/web/replay', { run: runSelect.value });
  } else {
    if (instrument === '') return showStatus('No instrument yet.');
    const day = mode === 'live' ? localDay(Date.now()) : localDay(localMidnight(dayInput.value || isoDate(Date.now())));
    replay = await getJson<Replay>('/api/v1/web/replay', { instrument, from: new Date(day.start).toISOString(), to: new Date(day.end).toISOString() });
  }
  drawLog(mode === 'live');
  const steps = replay.steps.length;
  showStatus(`${replay.instrument}: ${steps} transition${steps === 1 ? '' : 's'}${replay.truncated ? ' (the first ones only)' : ''} between ${localDateTime(replay.from)} and ${localDateTime(replay.to)}`);
  go(mode === 'live' ? steps : 0);
}

async function loadRuns(instrument: string): Promise<void> {
  const page = await getJson<RunPage>('/api/v1/web/runs', { instrument: instrument || undefined, limit: '300' });
  const chosen = runSelect.value || params.get('run') || '';
  const options = page.runs.map((run) => el('option', { value: run.runId }, `${localDateTime(run.startedAt)} ${run.procedure}${run.well === null ? '' : ` ${run.well}`} (${run.outcome ?? 'running'})`));
  runSelect.replaceChildren(...options);
  if (chosen !== '' && page.runs.some((run) => run.runId === chosen)) runSelect.value = chosen;
}

function showStatus(text: string): void {
  status.textContent = text;
}

function stopPlaying(): void {
  if (playing !== null) clearInterval(playing);
  playing = null;
}

function report(error: unknown): void {
  showStatus(`Could not load: ${error instanceof Error ? error.message : String(error)}`);
}

player.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button');
  const action = button?.dataset['step'];
  if (action === undefined) return;
  const last = replay?.steps.length ?? 0;
  if (action !== 'play') stopPlaying();
  if (action === 'first') go(0);
  if (action === 'prev') go(position - 1);
  if (action === 'next') go(position + 1);
  if (action === 'last') go(last);
  if (action === 'play') {
    if (playing !== null) return stopPlaying();
    if (position >= last) go(0);
    playing = setInterval(() => (position >= (replay?.steps.length ?? 0) ? stopPlaying() : go(position + 1)), 700);
  }
});
slider.addEventListener('input', () => go(Number(slider.value)));
logMore.addEventListener('click', () => showMoreLog(LOG_PAGE));
controls.addEventListener('change', (event) => {
  const name = (event.target as HTMLInputElement).name;
  // A new instrument or day offers other runs.
  if (name === 'instrument' || name === 'mode') runSelect.replaceChildren();
  load().catch(report);
});
controls.addEventListener('submit', (event) => event.preventDefault());

const reloadLive = throttle(() => {
  if (modeSelect.value === 'live') load().catch(report);
}, 1000);

let started = false;
connectLive({
  snapshot(snapshot) {
    const ids = snapshot.instruments.map((view) => view.id).sort();
    const chosen = instrumentSelect.value || params.get('instrument') || ids[0] || '';
    instrumentSelect.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
    if (chosen !== '' && !ids.includes(chosen)) instrumentSelect.append(el('option', { value: chosen }, chosen));
    instrumentSelect.value = chosen;
    if (!started) {
      started = true;
      if (params.has('run')) modeSelect.value = 'run';
      else if (params.has('day')) {
        modeSelect.value = 'day';
        dayInput.value = params.get('day') ?? '';
      }
      load().catch(report);
    } else reloadLive();
  },
  change(change) {
    if (change.type === 'instrument_changed' && change.view.id === instrumentSelect.value) reloadLive();
  },
});
