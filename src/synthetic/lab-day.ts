import { SoftwareCrashed, type LabSimulator } from './lab-simulator.ts';
import { LAB_USERS, plateWells, type LabUser } from './lab-users.ts';
import { calibration, debubble, idleRinse, performanceTest, rinse, sampleRecovery, shortRinse, shutdown, startup, tubeAcquisition, wellAcquisition } from './procedures.ts';

const HOUR = 3600;

/**
 * One day at the instrument: launched in the morning, Startup, now and then a performance test or
 * a calibration, people coming and going with tubes or plates, Shutdown in the evening, the
 * software closed. Weekends are mostly quiet. A crash ends the log mid-run; the day goes on in
 * a new launch.
 */
export function simulateDay(lab: LabSimulator, dayStartMs: number): void {
  const random = lab.random;
  const weekday = new Date(dayStartMs).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (weekend && !random.chance(0.12)) return;

  lab.t = dayStartMs + Math.round((7.5 * HOUR + random.between(0, 100 * 60)) * 1000);
  const closingMs = dayStartMs + Math.round((weekend ? 12 : 17) * HOUR * 1000 + random.between(0, 2 * HOUR * 1000));
  let user = random.pick(LAB_USERS);
  launchAndLogIn(lab, user);
  lab.line('Instrument', 'Event:Power On Self-test_Done~0');
  lab.pass(random.between(60, 240));
  guarded(lab, user, () => morning(lab, weekday));

  while (lab.t < closingMs) {
    lab.pass(random.between(5 * 60, 45 * 60));
    if (random.chance(0.04)) {
      // Someone closes and reopens the software: a new log, no crash.
      lab.logout();
      lab.quit();
      lab.pass(random.between(30, 180));
      launchAndLogIn(lab, user);
    }
    user = random.pick(LAB_USERS);
    const who = user;
    lab.login(who.name);
    lab.userWaitSeconds = who.waitSeconds;
    guarded(lab, who, () => session(lab, who));
  }
  if (random.chance(0.85)) guarded(lab, user, () => lab.run(shutdown, { initiated: 'Shutdown initiated' }));
  lab.pass(random.between(20, 120));
  lab.logout();
  lab.pass(random.between(1, 5));
  lab.quit();
}

function launchAndLogIn(lab: LabSimulator, user: LabUser): void {
  lab.launch();
  lab.pass(lab.random.between(20, 60));
  lab.login(user.name);
  lab.userWaitSeconds = user.waitSeconds;
}

/** Runs part of a day; if the software crashes in it, relaunches and logs the user back in. */
function guarded(lab: LabSimulator, user: LabUser, part: () => void): void {
  try {
    part();
  } catch (error) {
    if (!(error instanceof SoftwareCrashed)) throw error;
    lab.pass(lab.random.between(3 * 60, 15 * 60));
    launchAndLogIn(lab, user);
    if (lab.random.chance(0.5)) lab.run(startup, { initiated: 'Startup initiated' });
  }
}

function morning(lab: LabSimulator, weekday: number): void {
  const random = lab.random;
  if (random.chance(0.93)) {
    lab.run(startup, { initiated: 'Startup initiated' });
    lab.run(rinse, { mayGoWrong: false });
  }
  if (weekday === 1 || random.chance(0.1)) {
    lab.pass(random.between(60, 300));
    lab.line('Application', 'Qc Engine Initialized');
    lab.line('Application', `Initiating Baseline with beadlot: ${beadLot(lab)}`);
    lab.run(performanceTest, { initiated: 'Performance Test initiated', waitFirst: true });
  }
  if (random.chance(0.2)) {
    lab.pass(random.between(60, 300));
    // The fixture's Calibration line comes glued to a rinse's completion line half the time.
    lab.run(calibration, { initiated: random.chance(0.5) ? 'Event:Rinse_Done~0Line Calibration initiated' : 'Calibration initiated', noDoneLine: true });
    lab.line('Instrument', 'Instrument function Instrument Idle executing line 1');
    lab.pass(random.between(3, 6));
    lab.runSteps(idleRinse);
  }
}

function session(lab: LabSimulator, user: LabUser): void {
  const random = lab.random;
  if (random.chance(0.05)) {
    lab.run(debubble, { initiated: 'Debubble initiated' });
    lab.run(shortRinse, { mayGoWrong: false });
    lab.pass(random.between(30, 180));
  }
  if (random.chance(0.3)) {
    lab.run(rinse, { initiated: 'Rinse initiated' });
    lab.pass(random.between(30, 180));
  }
  if (user.plate !== null && random.chance(0.4)) plateSession(lab, user);
  else tubeSession(lab, user);
  if (random.chance(0.6)) {
    lab.pass(random.between(20, 120));
    lab.run(rinse, { initiated: 'Rinse initiated' });
  }
}

function tubeSession(lab: LabSimulator, user: LabUser): void {
  const random = lab.random;
  // Today's experiment sets how long this user acquires each tube; tubes vary around it.
  const experimentSeconds = user.tubeSeconds * random.logNormal(1, 0.4);
  const tubes = random.int(3, 25);
  for (let i = 0; i < tubes; i++) {
    lab.line('Instrument', 'Acquisition initiated');
    lab.run(tubeAcquisition, { waitFirst: random.chance(0.55), acquireSeconds: Math.min(900, experimentSeconds * random.logNormal(1, 0.5)), userStops: true });
    const after = random.next();
    if (after < 0.08) {
      lab.line('Application', 'Tube lifter lowered with sample in sample loop flag set-initiating rinse');
      lab.run(shortRinse, { mayGoWrong: false });
    } else if (after < 0.12) {
      lab.pass(random.between(30, 120));
      lab.run(sampleRecovery, { initiated: 'Sample Recovery initiated' });
      lab.run(shortRinse, { mayGoWrong: false });
    } else if (after < 0.2) {
      lab.pass(random.between(20, 90));
      lab.run(rinse, { initiated: 'Rinse initiated' });
    }
    lab.pass(random.between(15, 150));
  }
}

function plateSession(lab: LabSimulator, user: LabUser): void {
  const random = lab.random;
  const assay = user.plate;
  if (assay === null) return;
  const count = random.chance(0.3) ? Math.max(8, Math.round(assay.wells * random.between(0.3, 1))) : assay.wells;
  // The stop condition (a volume) is the assay's; the sample's flow makes each plate a bit different.
  const plateSeconds = assay.seconds * random.logNormal(1, 0.1);
  for (const { well, control } of plateWells(assay, count)) {
    lab.line('Instrument', `Acquisition initiated on well ${well} Preload`);
    const seconds = plateSeconds * (control ? assay.controlFactor : 1) * random.logNormal(1, 0.07);
    lab.run(wellAcquisition, { acquireSeconds: seconds });
    lab.pass(random.between(3, 8));
  }
}

function beadLot(lab: LabSimulator): string {
  const hex = () => Math.floor(lab.random.next() * 0x10000).toString(16).toUpperCase().padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-${hex()}-${hex()}-${hex()}${hex()}${hex()}`;
}
