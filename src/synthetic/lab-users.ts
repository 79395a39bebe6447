/**
 * A plate assay a user runs again and again: how many wells, in which order, how long the
 * autosampler acquires a well (its stop condition), and the control columns that acquire longer.
 */
export interface PlateAssay {
  wells: number;
  byColumn: boolean;
  seconds: number;
  controlColumns: number;
  controlFactor: number;
}

/** A lab member and their habits: how long they acquire a tube, how quick they are at the lifter. */
export interface LabUser {
  name: string;
  tubeSeconds: number;
  waitSeconds: number;
  plate: PlateAssay | null;
}

// A shared core-facility instrument: people differ in what they acquire, which is exactly why a
// procedure's past durations spread widely and what the estimator has to live with.
export const LAB_USERS: readonly LabUser[] = [
  { name: 'jsmith', tubeSeconds: 25, waitSeconds: 8, plate: null },
  { name: 'akim', tubeSeconds: 40, waitSeconds: 6, plate: { wells: 96, byColumn: false, seconds: 18, controlColumns: 1, controlFactor: 2 } },
  { name: 'bchen', tubeSeconds: 15, waitSeconds: 12, plate: { wells: 24, byColumn: true, seconds: 45, controlColumns: 0, controlFactor: 1 } },
  { name: 'mgarcia', tubeSeconds: 60, waitSeconds: 10, plate: { wells: 48, byColumn: false, seconds: 30, controlColumns: 1, controlFactor: 1.5 } },
  { name: 'tnguyen', tubeSeconds: 20, waitSeconds: 7, plate: null },
  { name: 'lrossi', tubeSeconds: 90, waitSeconds: 9, plate: { wells: 96, byColumn: true, seconds: 12, controlColumns: 2, controlFactor: 3 } },
];

const ROWS = 'ABCDEFGH';

/** The wells of an assay in acquisition order (row by row, or column by column), and whether each is a control. */
export function plateWells(assay: PlateAssay, count: number): Array<{ well: string; control: boolean }> {
  const columns = Math.ceil(assay.wells / ROWS.length);
  const all: Array<{ well: string; control: boolean }> = [];
  if (assay.byColumn) {
    for (let column = 1; column <= columns; column++) for (const row of ROWS) all.push({ well: `${row}${column}`, control: column <= assay.controlColumns });
  } else {
    for (const row of ROWS) for (let column = 1; column <= columns; column++) all.push({ well: `${row}${column}`, control: column <= assay.controlColumns });
  }
  return all.slice(0, Math.min(count, all.length));
}
