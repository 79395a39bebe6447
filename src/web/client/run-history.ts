import type { ProcedureRun, RunPage } from '../../store/procedure-runs-projection.ts';
import { formatDuration } from '../shared/format.ts';
import { outcomeMark } from '../shared/outcomes.ts';
import { byId, el, getJson, localDateTime, localMidnight } from './dom.ts';

const PAGE = 50;

/**
 * The run history table and its filters (procedure, user, outcome, dates; an empty field means
 * any). Changing a filter reloads from the first page; "Show more" appends the next.
 */
export class RunHistory {
  private readonly form = byId<HTMLFormElement>('run-filters');
  private readonly body = byId('history').querySelector('tbody') as HTMLTableSectionElement;
  private readonly count = byId('history-count');
  private readonly more = byId<HTMLButtonElement>('history-more');
  private shown = 0;

  constructor() {
    this.form.addEventListener('change', () => void this.reload());
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.more.addEventListener('click', () => void this.load(this.shown));
  }

  reload(): Promise<void> {
    return this.load(0);
  }

  private async load(offset: number): Promise<void> {
    const data = new FormData(this.form);
    const value = (name: string) => {
      const text = data.get(name);
      return typeof text === 'string' && text !== '' ? text : undefined;
    };
    const from = value('from');
    const to = value('to');
    const page = await getJson<RunPage>('/api/v1/web/runs', {
      instrument: value('instrument'),
      procedure: value('procedure'),
      user: value('user'),
      outcome: value('outcome'),
      from: from === undefined ? undefined : new Date(localMidnight(from)).toISOString(),
      // The "to" date is included: runs up to the next midnight.
      to: to === undefined ? undefined : new Date(localMidnight(to) + 86_400_000).toISOString(),
      limit: String(PAGE),
      offset: String(offset),
    });
    const rows = page.runs.map(runRow);
    if (offset === 0) this.body.replaceChildren(...rows);
    else this.body.append(...rows);
    this.shown = offset + page.runs.length;
    this.count.textContent = page.total === 0 ? 'No runs match.' : `${this.shown} of ${page.total} runs, newest first`;
    this.more.hidden = this.shown >= page.total;
  }
}

function runRow(run: ProcedureRun): HTMLTableRowElement {
  const outcome = outcomeMark(run.outcome);
  return el(
    'tr',
    { 'data-run': run.runId },
    el('td', {}, localDateTime(run.startedAt)),
    el('td', {}, run.instrumentId),
    el('td', {}, run.procedure, run.well === null ? '' : ` ${run.well}`, run.source === 'inferred' ? el('small', { class: 'muted' }, ' (automatic)') : ''),
    el('td', {}, run.user ?? '—'),
    el('td', {}, el('span', { class: `outcome ${outcome.key}` }, `${outcome.mark} ${outcome.word}`), run.outcomeCode !== null && run.outcome === 'failed' ? ` ~${run.outcomeCode}` : ''),
    el('td', { class: 'num' }, run.durationS === null ? '—' : formatDuration(run.durationS)),
    el('td', {}, el('a', { href: `/statechart?instrument=${encodeURIComponent(run.instrumentId)}&run=${encodeURIComponent(run.runId)}`, title: 'replay this run on the statechart' }, 'replay')),
  );
}
