import { assign, enqueueActions, setup } from 'xstate';
import type { MonitorContext, MachineEvent, MonitorOutput } from './monitor-types.ts';
import { initialContext } from './monitor-types.ts';
import * as rules from './run-rules.ts';
import type { Change } from './run-rules.ts';

type EventOf<T extends MachineEvent['type']> = Extract<MachineEvent, { type: T }>;

// Applies a pure rule from run-rules.ts: its context becomes the machine's, its outputs are emitted.
function apply<T extends MachineEvent['type']>(rule: (context: MonitorContext, event: EventOf<T>) => Change) {
  return enqueueActions<MonitorContext, MachineEvent, undefined, MachineEvent, never, never, never, never, MonitorOutput>(
    ({ context, event, enqueue }) => {
      const change = rule(context, event as EventOf<T>);
      enqueue.assign(change.context);
      for (const output of change.outputs) enqueue.emit(output);
    },
  );
}

// Chains rules over one event, in order.
function chain<T extends MachineEvent['type']>(...steps: Array<(context: MonitorContext, event: EventOf<T>) => Change>) {
  return (context: MonitorContext, event: EventOf<T>): Change => {
    let current = context;
    const outputs: MonitorOutput[] = [];
    for (const step of steps) {
      const change = step(current, event);
      current = change.context;
      outputs.push(...change.outputs);
    }
    return { context: current, outputs };
  };
}

// Applies a rule that only changes the context: a plain assign, cheaper than enqueued actions.
function update<T extends MachineEvent['type']>(rule: (context: MonitorContext, event: EventOf<T>) => MonitorContext) {
  return assign<MonitorContext, MachineEvent, undefined, MachineEvent, never>(({ context, event }) => rule(context, event as EventOf<T>));
}

const openLoggedRun = (context: MonitorContext, event: EventOf<'procedure_started'>) =>
  rules.openRun(context, event.procedure, 'logged', event.at, event.source);
const openInferredRun = (context: MonitorContext, event: EventOf<'step'>) => {
  const opened = rules.openRun(context, event.firstFunction, 'inferred', event.firstAt, event.source);
  return { context: rules.recordStep(opened.context, event.function, event.line, event.count, event.at), outputs: opened.outputs };
};
const launch = (context: MonitorContext, event: EventOf<'log_opened'>) => rules.launch(context, event.at, event.source.file);

// Into the state of an open run: `acquiring` for an acquisition, `running` for anything else.
function intoRun<G extends string, A extends string>(guard: G, actions: A) {
  return [
    { guard, target: 'acquiring', actions },
    { target: 'running', actions },
  ] as const;
}

// What a run does to the instrument, whatever it is doing within the run (rules 2 to 7, and the
// counts of rule 4): shared by the three states of an open run.
const runTransitions = {
  procedure_started: intoRun('startsAcquisition', 'replaceRun'),
  procedure_done: { guard: 'doneClosesRun', target: 'idle', actions: 'completeRun' },
  instrument_idle: { target: 'idle', actions: 'runWentIdle' },
  log_ended: { target: 'softwareOff', actions: ['interruptRun', 'softwareExit'] },
  stop_requested: { actions: 'markStopRequested' },
  fcs_file_saved: { actions: 'countFcsFiles' },
  bubble_detected: { actions: 'recordBubble' },
  large_bubble: { actions: 'recordLargeBubble' },
} as const;

// A run that goes on by itself (running or acquiring): steps are its progress (rule 4).
const workingTransitions = {
  ...runTransitions,
  step: { actions: 'recordStep' },
  user_action_required: { target: 'waitingForUser', actions: 'awaitUser' },
} as const;

/**
 * The instrument and its user, as two parallel regions fed by log events. Time comes only from
 * the events (`at`), never from a clock, so the same events always give the same snapshot; no
 * `after` timers live here (silence is judged by the server, outside replayed logic).
 */
export const monitorMachine = setup({
  types: {
    context: {} as MonitorContext,
    events: {} as MachineEvent,
    emitted: {} as MonitorOutput,
  },
  guards: {
    // Rule 2 (and 3: a Done line of another procedure changes no run).
    doneClosesRun: ({ context, event }) => event.type === 'procedure_done' && context.run !== null && event.procedure === context.run.procedure,
    runIsAcquisition: ({ context }) => context.run !== null && rules.isAcquisition(context.run.procedure),
    startsAcquisition: ({ event }) => (event.type === 'procedure_started' ? rules.isAcquisition(event.procedure) : event.type === 'step' && rules.isAcquisition(event.firstFunction)),
  },
  actions: {
    launch: apply<'log_opened'>(launch),
    softwareExit: update<'log_ended'>((context) => rules.softwareExit(context)),
    // Rule 1 (logged) and steps outside any run (inferred, e.g. the automatic rinse after Instrument Idle).
    openLoggedRun: apply<'procedure_started'>(openLoggedRun),
    openInferredRun: apply<'step'>(openInferredRun),
    // Rule 6: a new start closes the open run as unconfirmed at that moment.
    replaceRun: apply<'procedure_started'>(chain((context, event) => rules.closeRun(context, event.at, 'unconfirmed', null), openLoggedRun)),
    // Rule 2.
    completeRun: apply<'procedure_done'>((context, event) => rules.closeRun(context, event.at, rules.outcomeOfCode(event.code), event.code)),
    // Rule 5: Instrument Idle closes the open run as unconfirmed.
    runWentIdle: apply<'instrument_idle'>((context, event) => rules.closeRun(context, event.at, 'unconfirmed', null)),
    // Rule 7: the end of the file closes the open run as interrupted at its last readable line.
    interruptRun: apply<'log_ended'>((context, event) => rules.closeRun(context, event.at, 'interrupted', null)),
    // Rule 4.
    recordStep: update<'step'>((context, event) => rules.recordStep(context, event.function, event.line, event.count, event.at)),
    markStopRequested: update<'stop_requested'>((context) => rules.updateRun(context, () => ({ stopRequested: true }))),
    awaitUser: update<'user_action_required'>((context, event) => rules.updateRun(context, () => ({ waitingFor: { action: event.action, since: event.at } }))),
    userActed: update<'user_action_completed'>((context) => rules.updateRun(context, () => ({ waitingFor: null }))),
    recordBubble: apply<'bubble_detected'>((context, event) => rules.recordBubble(context, event.at, false)),
    recordLargeBubble: apply<'large_bubble'>((context, event) => rules.recordBubble(context, event.at, true)),
    countFcsFiles: update<'fcs_file_saved'>((context, event) => rules.updateRun(context, (run) => ({ fcsFiles: run.fcsFiles + event.count }))),
    // Rule 9: the next acquisition belongs to this well (or is a tube).
    rememberWell: update<'acquisition_initiated'>((context, event) => ({ ...context, nextWell: event.well })),
    rememberQc: update<'qc_started'>((context, event) => {
      const qc = { kind: event.kind, beadlot: event.beadlot };
      return context.run !== null && context.run.qc === null ? rules.updateRun(context, () => ({ qc })) : { ...context, nextQc: qc };
    }),
    // Rule 11.
    openSession: apply<'login'>((context, event) => rules.openSession(context, event.user, event.at)),
    switchSession: apply<'login'>(chain((context, event) => rules.closeSession(context, event.at, 'next_login'), (context, event) => rules.openSession(context, event.user, event.at))),
    endSessionAtLogout: apply<'logout'>((context, event) => rules.closeSession(context, event.at, 'logout')),
    endSessionAtExit: apply<'log_ended'>((context, event) => rules.closeSession(context, event.at, 'software_exit')),
  },
}).createMachine({
  id: 'monitor',
  type: 'parallel',
  context: initialContext,
  states: {
    instrument: {
      initial: 'softwareOff',
      on: {
        acquisition_initiated: { actions: 'rememberWell' },
        qc_started: { actions: 'rememberQc' },
      },
      states: {
        softwareOff: {
          description: 'The Attune software is not running (no log file is open).',
          on: { log_opened: { target: 'idle', actions: 'launch' } },
        },
        idle: {
          description: 'The software runs and no procedure is running.',
          on: {
            procedure_started: intoRun('startsAcquisition', 'openLoggedRun'),
            step: intoRun('startsAcquisition', 'openInferredRun'),
            log_ended: { target: 'softwareOff', actions: 'softwareExit' },
          },
        },
        running: {
          description: 'A procedure other than an acquisition runs.',
          on: workingTransitions,
        },
        acquiring: {
          description: 'A sample is being acquired: a tube, or a plate well.',
          on: workingTransitions,
        },
        waitingForUser: {
          description: 'A run waits for the user (e.g. to raise the tube lifter).',
          on: {
            ...runTransitions,
            user_action_completed: intoRun('runIsAcquisition', 'userActed'),
            step: intoRun('runIsAcquisition', 'recordStep'),
            user_action_required: { actions: 'awaitUser' },
          },
        },
      },
    },
    session: {
      initial: 'loggedOut',
      states: {
        loggedOut: { on: { login: { target: 'loggedIn', actions: 'openSession' } } },
        loggedIn: {
          description: 'A user is logged in to the Attune software.',
          on: {
            login: { target: 'loggedIn', reenter: true, actions: 'switchSession' },
            logout: { target: 'loggedOut', actions: 'endSessionAtLogout' },
            log_ended: { target: 'loggedOut', actions: 'endSessionAtExit' },
          },
        },
      },
    },
  },
});

export type MonitorMachine = typeof monitorMachine;
