import { LogFileWriter, type Category, type Level, type SyntheticLogFile } from './log-writer.ts';
import { expand, type Action, type Block, type Program } from './program.ts';
import { TUBE_LIFTER } from './procedures.ts';
import type { Random } from './random.ts';

/** The software died mid-run: the day goes on in a new launch. */
export class SoftwareCrashed extends Error {}

/** How one run goes besides its program. */
export interface RunPlan {
  /** The line the user's click writes before the start line (e.g. `Rinse initiated`), if any. */
  initiated?: string;
  /** Whether the instrument first waits for the user to raise the tube lifter. */
  waitFirst?: boolean;
  /** Seconds the acquiring lasts (the user's Stop, or the well's stop condition). */
  acquireSeconds?: number;
  /** The user presses Stop to end the acquiring (tubes); a well ends on its own. */
  userStops?: boolean;
  /** Calibration writes no completion line. */
  noDoneLine?: boolean;
  /** May fail or be cancelled (not for the software's own follow-up runs). */
  mayGoWrong?: boolean;
}

const STEP_SPREAD = 0.2;
const NECESSARY_ACTIONS = '_CheckFuncPrerequisites() - Necessary User Actions Completed-executing function';
const ACQ_ACTIONS_DONE = '_CheckAcqPrereqsAndExecute() - Necessary User Actions Completed-executing function';
const FAILURE_CODES = ['-1', '3', '17', '-2147467259'];

/**
 * The instrument PC over days: a clock, the current log file, who is logged in, and how fast
 * the fluidics run today. Writes lines as the Attune software would.
 */
export class LabSimulator {
  /** Now, on the zone-less local clock (ms). */
  t: number;
  readonly files: SyntheticLogFile[] = [];
  /** Today's instrument pace (1 = usual): drifts from day to day. */
  dayPace = 1;
  /** Run number at which the software will crash, counted over the simulation; -1 for none. */
  crashAtRun = -1;
  private runs = 0;
  private log: LogFileWriter | null = null;
  /** The user's usual seconds to act when asked (raise the tube lifter). */
  userWaitSeconds = 8;

  constructor(
    readonly random: Random,
    startMs: number,
  ) {
    this.t = startMs;
  }

  get runCount(): number {
    return this.runs;
  }

  pass(seconds: number): void {
    this.t += Math.round(seconds * 1000);
  }

  /** A line a moment after the previous one. */
  line(category: Category, message: string, level: Level = 'Info'): void {
    this.t += this.random.int(40, 380);
    this.lineNow(category, message, level);
  }

  launch(): void {
    if (this.log !== null) this.quit();
    this.log = new LogFileWriter(this.t, this.random);
    this.line('Application', 'POSTGRESQL: Using connection values from file: AttuneDBConnection.txt;0;ConnectionFile::ReadConnectionString');
    this.line('Data', 'Data:Instrument_Serial_Number~2AFC229870320');
    this.line('Data', 'Data:Instrument_Model_Number~4486521');
    this.line('Data', 'Data:Laser_1_Wavelength~639');
    this.line('Data', 'Data:Laser_2_Wavelength~405');
    this.line('Application', 'Unable to GetCurrentUser()!;1009;CAttuneUserManagementController::LoadUsers', 'Error');
  }

  /** The software exits (or dies: `cutShort` leaves half a last line). */
  quit(cutShort = false): void {
    if (this.log === null) return;
    this.files.push(this.log.finish(cutShort));
    this.log = null;
  }

  login(user: string): void {
    if (this.log === null) return;
    if (this.log.user === user) return;
    if (this.log.user !== '') this.logout();
    this.log.user = user;
    this.line('Security', 'login');
  }

  logout(): void {
    if (this.log === null || this.log.user === '') return;
    this.line('Security', 'logout');
    this.log.user = '';
  }

  /**
   * One procedure run, start line to completion line. Throws `SoftwareCrashed` when this is the
   * run the software dies in (the file then ends mid-run).
   */
  run(program: Program, plan: RunPlan = {}): void {
    this.runs++;
    const actions = expand(program, this.random);
    const crash = this.runs === this.crashAtRun;
    const wrong = plan.mayGoWrong !== false && !crash ? this.random.next() : 1;
    const fails = wrong < 0.012;
    const cancelled = !fails && wrong < 0.027;
    const stopAt = crash || fails || cancelled ? this.random.int(0, actions.length - 1) : actions.length;
    // One pace per run on top of the day's: the per-run spread of the same procedure.
    const pace = this.dayPace * this.random.logNormal(1, 0.05);

    if (plan.initiated !== undefined) this.line('Instrument', plan.initiated);
    this.line('Instrument', `Event:Starting_${program.procedure}`);
    if (plan.waitFirst === true) this.userAction(TUBE_LIFTER, ACQ_ACTIONS_DONE);
    else this.line('Application', NECESSARY_ACTIONS);
    this.pass(program.firstStepAfter * pace * this.random.logNormal(1, STEP_SPREAD));
    for (const action of actions.slice(0, stopAt)) this.act(action, pace, plan);

    if (crash) {
      this.crashNow();
      return;
    }
    if (fails) {
      this.line('Instrument', `Event:${program.procedure}_Done~${this.random.pick(FAILURE_CODES)}`, 'Error');
    } else if (cancelled) {
      this.line('Application', `Entered InstrumentFunctionManager::StopAction() during -- ${program.procedure} -- STOPPING.`, 'Warning');
      this.line('Instrument', `Event:${program.procedure}_Done~FUNCTION_CANCELLED`);
    } else if (plan.noDoneLine !== true) {
      this.line('Instrument', `Event:${program.procedure}_Done~0`);
    }
  }

  /** Step lines with no start line: the automatic rinse after an idle instrument. */
  runSteps(blocks: Block[]): void {
    const pace = this.dayPace * this.random.logNormal(1, 0.05);
    for (const action of expand({ procedure: 'Rinse', firstStepAfter: 0, body: blocks }, this.random)) this.act(action, pace, {});
  }

  private act(action: Action, pace: number, plan: RunPlan): void {
    switch (action.kind) {
      case 'step':
        this.lineNow('Instrument', `Instrument function ${action.fn} executing line ${action.line}`);
        this.pass(action.seconds * pace * this.random.logNormal(1, STEP_SPREAD));
        return;
      case 'wait':
        this.userAction(action.action, NECESSARY_ACTIONS);
        return;
      case 'acquire':
        this.acquiring(plan.acquireSeconds ?? 20, plan.userStops === true);
        return;
      case 'message':
        this.line('Instrument', action.text);
        return;
      default: {
        const never: never = action;
        throw new Error(`unknown action ${JSON.stringify(never)}`);
      }
    }
  }

  /** The instrument waits for the user: usually seconds, now and then minutes (they walked off). */
  private userAction(action: string, done: string): void {
    this.line('Application', `User Action required to continue-action="${action}"`);
    const seconds = this.random.chance(0.06) ? this.random.between(60, 480) : this.random.logNormal(this.userWaitSeconds, 0.6);
    this.pass(seconds);
    this.line('Application', done);
  }

  private acquiring(seconds: number, userStops: boolean): void {
    const end = this.t + Math.round(seconds * 1000);
    const files = Math.max(1, Math.min(60, Math.round(seconds / this.random.between(3, 8))));
    for (let i = 0; i < files; i++) {
      this.t = Math.max(this.t, end - Math.round(((files - i - 0.5) / files) * seconds * 1000));
      this.lineNow('Application', 'File Saved signal received;0;AttuneAppController::OnListmodeFileSavedSignal');
      this.line('Application', 'Unable to update cache or save FCS file information to database.;0;AttuneAppController::OnListmodeFileSavedSignal', 'Warning');
      if (this.random.chance(0.01)) this.line('Data', `Data:New Bubble Detected at  ${this.random.int(100, 9000)}`);
      if (this.random.chance(0.001)) this.line('Application', 'BUBBLE SIZE GREATER THAN THRESHOLD!!!', 'Warning');
    }
    this.t = Math.max(this.t, end);
    if (userStops) {
      this.line('Application', ' Stop Tube Acquisition;0;CollectionPanelStatusPanel::OnBnClickedStop');
      this.line('Instrument', 'Event:Acquisition StopSampleAcquisition');
    }
    this.pass(this.random.between(1, 3));
  }

  private crashNow(): void {
    this.quit(this.random.chance(0.5));
    throw new SoftwareCrashed();
  }

  private lineNow(category: Category, message: string, level: Level = 'Info'): void {
    this.log?.write(this.t, level, category, message);
  }
}
