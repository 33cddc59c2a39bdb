// Writes the studio benchmark's 100k-sample dataset: 50k SFT chains and 50k RL records over
// distinct clips (tests/fixtures/syntheticDatasets.ts), for `frustum import`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticRl, syntheticSft } from '../tests/fixtures/syntheticDatasets';

const [folder, countText] = process.argv.slice(2);
if (!folder) {
  process.stderr.write('usage: studioPrepare.js <out folder> [total samples]\n');
  process.exit(2);
}
const half = Math.floor(Number(countText ?? 100_000) / 2);
writeFileSync(join(folder, 'sft.json'), JSON.stringify(syntheticSft({ count: half, seed: 21 })));
writeFileSync(join(folder, 'rl.json'), JSON.stringify(syntheticRl({ count: half, seed: 22 })));
