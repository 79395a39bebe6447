import { etaBench } from './eta.bench.ts';
import { parseBench } from './parse.bench.ts';
import { storeBench } from './store.bench.ts';

// `npm run bench`: every section prints its figures; targets are shown beside them.
const sections: Array<[string, () => void | Promise<void>]> = [
  ['parse', parseBench],
  ['store', storeBench],
  ['eta', etaBench],
];

const only = process.argv.slice(2);
for (const [name, run] of sections) {
  if (only.length === 0 || only.includes(name)) await run();
}
