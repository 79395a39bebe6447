import { etaBench } from './eta.bench.ts';
import { parseBench } from './parse.bench.ts';
import { storeBench } from './store.bench.ts';
import { scaleBench } from './scale.bench.ts';
import { yearBench } from './year.bench.ts';

// `npm run bench [SECTION...] [--quick]`: every section prints its figures; targets are shown
// beside them. `--quick`: a smaller year (30 launches), for development.
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sections: Array<[string, () => void | Promise<void>]> = [
  ['year', () => yearBench({ quick })],
  ['parse', parseBench],
  ['store', storeBench],
  ['eta', etaBench],
  ['scale', scaleBench],
];

const only = args.filter((arg) => arg !== '--quick');
for (const [name, run] of sections) {
  if (only.length === 0 || only.includes(name)) await run();
}
