import type { Random } from './random.ts';

/**
 * How a procedure's log reads, as a small program: steps (`executing line N`, with their usual
 * length in seconds), loops that run a varying number of times, optional parts, waits for the
 * user and the acquiring itself. Modelled on the sequences of the real fixture.
 */
export type Block =
  | { kind: 'step'; fn: string | null; line: number; seconds: number }
  | { kind: 'repeat'; min: number; max: number; body: Block[] }
  | { kind: 'maybe'; p: number; body: Block[] }
  | { kind: 'wait'; action: string }
  | { kind: 'acquire' }
  | { kind: 'message'; text: string };

/** A program with its loops and options decided: what one run will write, in order. */
export type Action =
  | { kind: 'step'; fn: string; line: number; seconds: number }
  | { kind: 'wait'; action: string }
  | { kind: 'acquire' }
  | { kind: 'message'; text: string };

export interface Program {
  procedure: string;
  /** Usual seconds from the start line to the first step. */
  firstStepAfter: number;
  body: Block[];
}

/** One step line of the procedure's own function (or `fn`'s, as Calibration runs Rinse steps). */
export function step(line: number, seconds: number, fn: string | null = null): Block {
  return { kind: 'step', fn, line, seconds };
}

/** Steps `from`…`to` in order, each about `seconds` long, skipping `except`. */
export function steps(from: number, to: number, seconds: number, fn: string | null = null, except: readonly number[] = []): Block[] {
  const out: Block[] = [];
  for (let line = from; line <= to; line++) if (!except.includes(line)) out.push(step(line, seconds, fn));
  return out;
}

export function repeat(min: number, max: number, ...body: Array<Block | Block[]>): Block {
  return { kind: 'repeat', min, max, body: body.flat() };
}

export function maybe(p: number, ...body: Array<Block | Block[]>): Block {
  return { kind: 'maybe', p, body: body.flat() };
}

export function waitFor(action: string): Block {
  return { kind: 'wait', action };
}

export const acquire: Block = { kind: 'acquire' };

export function message(text: string): Block {
  return { kind: 'message', text };
}

/** Decides loops and options for one run. */
/** A program from blocks and runs of blocks (as `steps` gives). */
export function program(procedure: string, firstStepAfter: number, ...body: Array<Block | Block[]>): Program {
  return { procedure, firstStepAfter, body: body.flat() };
}

export function expand(program: Program, random: Random): Action[] {
  const out: Action[] = [];
  const walk = (blocks: readonly Block[]) => {
    for (const block of blocks) {
      switch (block.kind) {
        case 'step':
          out.push({ kind: 'step', fn: block.fn ?? program.procedure, line: block.line, seconds: block.seconds });
          break;
        case 'repeat': {
          const times = random.int(block.min, block.max);
          for (let i = 0; i < times; i++) walk(block.body);
          break;
        }
        case 'maybe':
          if (random.chance(block.p)) walk(block.body);
          break;
        case 'wait':
        case 'acquire':
        case 'message':
          out.push(block);
          break;
        default: {
          const never: never = block;
          throw new Error(`unknown block ${JSON.stringify(never)}`);
        }
      }
    }
  };
  walk(program.body);
  return out;
}
