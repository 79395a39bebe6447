import { acquire, maybe, message, program, repeat, step, steps, waitFor, type Block, type Program } from './program.ts';

// The procedures of a lab day, modelled on the real fixture's step sequences and step lengths
// (Startup ≈ 14 min with its 2/3, 6–9, 11/12 and 14/15 loops; a Rinse ≈ 1.5 min of ~5 s steps;
// Calibration's nested rinses; Debubble's 11/12 and 15–18 loops; a tube acquisition's
// 2,3,4,7 … 1,0). Shutdown and Performance Test are not in the fixture: their shapes are guesses
// of the same kind (numbered steps, a loop, waits for the user to swap tubes).

export const TUBE_LIFTER = 'Raise tube lifter';

export const startup: Program = program(
  'Startup',
  15,
  step(1, 14),
  repeat(3, 5, step(2, 15), step(3, 15)),
  maybe(0.5, step(5, 13)),
  repeat(2, 2, step(6, 14), step(7, 17), step(8, 15), step(9, 11)),
  maybe(0.5, step(10, 13)),
  repeat(5, 8, step(11, 14), step(12, 16)),
  step(13, 18),
  repeat(3, 5, step(14, 15), step(15, 16)),
  steps(16, 22, 15),
  steps(25, 30, 17),
  step(0, 0.3),
);

/** A rinse the user asks for (or the one after Startup): lines 1…19, then 0. */
export const rinse: Program = program('Rinse', 5, steps(1, 6, 5), maybe(0.2, step(7, 4)), steps(8, 17, 5), maybe(0.3, step(18, 5)), step(19, 5), step(0, 0.2));

/** The rinse the software starts itself after a sample recovery, a debubble or a lowered tube lifter: from line 8 or 9. */
export const shortRinse: Program = program('Rinse', 5, maybe(0.5, step(8, 4)), steps(9, 17, 5), maybe(0.3, step(18, 5)), step(20, 5), step(0, 0.2));

/** The Rinse steps Calibration runs inside itself. */
function nestedRinse(): Block[] {
  return [steps(2, 6, 4.5, 'Rinse'), steps(8, 17, 5, 'Rinse'), maybe(0.35, step(18, 5, 'Rinse')), step(19, 4.5, 'Rinse'), step(0, 5, 'Rinse')].flat();
}

/**
 * Calibration writes no completion line: after its last nested rinse comes `Event:Rinse_Done~0`
 * and the instrument goes idle (rule 5 closes the run as unconfirmed).
 */
export const calibration: Program = program(
  'Calibration',
  11,
  step(1, 6),
  nestedRinse(),
  step(1, 7, 'Rinse'),
  steps(2, 5, 9),
  step(1, 7),
  nestedRinse(),
  step(7, 7, 'Rinse'),
  steps(8, 11, 10),
  maybe(0.4, steps(14, 17, 11)),
  maybe(0.7, steps(18, 19, 9)),
  step(1, 6),
  nestedRinse(),
  maybe(0.35, step(1, 4, 'Rinse'), nestedRinse()),
  message('Event:Rinse_Done~0'),
);

/** The automatic rinse after Calibration goes idle: steps with no start line (an inferred run). */
export const idleRinse: Block[] = [
  steps(2, 6, 5, 'Rinse'),
  steps(8, 17, 5, 'Rinse'),
  maybe(0.3, step(18, 5, 'Rinse')),
  step(19, 5, 'Rinse'),
  step(0, 0.2, 'Rinse'),
  message('Event:Rinse_Done~0'),
].flat();

export const debubble: Program = program(
  'Debubble',
  5,
  steps(1, 4, 3.5),
  step(6, 3.5),
  steps(9, 10, 3),
  repeat(4, 6, step(11, 3.5), step(12, 4.5)),
  steps(13, 14, 3.5),
  repeat(2, 3, steps(15, 18, 3.5)),
  steps(19, 23, 4),
  maybe(0.5, step(24, 4)),
  step(25, 4),
  step(0, 0.2),
);

export const sampleRecovery: Program = program('Sample Recovery', 10, step(1, 5), step(0, 0.2));

/** A tube: the user raises the lifter, acquires, presses Stop. */
export const tubeAcquisition: Program = program(
  'Acquisition',
  3,
  maybe(0.15, step(0, 4)),
  steps(2, 3, 2.8),
  step(4, 3),
  step(7, 2.8),
  maybe(0.3, step(8, 3)),
  acquire,
  maybe(0.3, step(9, 4)),
  step(1, 3),
  maybe(0.5, step(2, 2.5)),
  maybe(0.15, step(1, 2.5), step(2, 2.5)),
  step(0, 0.3),
);

/** A plate well: the autosampler loads it and stops on its stop condition. */
export const wellAcquisition: Program = program('Acquisition', 2, steps(2, 3, 2.6), step(4, 3), step(7, 2.6), acquire, step(1, 3), step(2, 2.5), step(0, 0.3));

export const performanceTest: Program = program(
  'Performance Test',
  6,
  steps(1, 4, 8),
  repeat(3, 4, steps(5, 9, 12)),
  steps(10, 14, 10),
  maybe(0.3, repeat(1, 2, steps(12, 13, 10))),
  maybe(0.3, waitFor(TUBE_LIFTER)),
  steps(15, 18, 9),
  step(0, 0.3),
);

export const shutdown: Program = program(
  'Shutdown',
  5,
  steps(1, 5, 12),
  repeat(2, 3, step(6, 15), step(7, 15)),
  steps(8, 11, 12),
  waitFor(TUBE_LIFTER),
  steps(12, 16, 12),
  repeat(2, 3, step(17, 14), step(18, 14)),
  steps(19, 21, 10),
  step(0, 0.3),
);
