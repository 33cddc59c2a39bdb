// Writes the benchmark inputs into a folder: generated CamReasoning-sized SFT (18k) and RL
// (38k) datasets, and an evaluation-results file for every CameraBench question (7,679), with
// outputs in the O-T-A format, as CamReasoner's evaluator writes them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticRl, syntheticSft } from '../tests/fixtures/syntheticDatasets';
import { randomGenerator } from '../tests/fixtures/syntheticDatasets';

const [folder, evalFile] = process.argv.slice(2);
if (!folder || !evalFile) {
  process.stderr.write('usage: prepare.js <out folder> <camerabench_binary.json>\n');
  process.exit(2);
}
writeFileSync(join(folder, 'sft-18k.json'), JSON.stringify(syntheticSft({ count: 18_000, seed: 1 }), null, 2));
writeFileSync(join(folder, 'rl-38k.json'), JSON.stringify(syntheticRl({ count: 38_000, seed: 2 }), null, 2));

const random = randomGenerator(3);
const questions = JSON.parse(readFileSync(evalFile, 'utf8')) as Array<Record<string, unknown>>;
const results = questions.map((question) => {
  const letter = random() < 0.8 ? String(question['solution']).replace(/<\/?answer>/g, '') : random() < 0.5 ? 'A' : 'B';
  const output = `<observation>Frames 1–16: the background drifts steadily.</observation>\n<think>The drift is uniform, so the camera rotates.</think>\n<answer>${letter}</answer>`;
  return { ...question, output, prediction: letter, accuracy: 0 };
});
writeFileSync(join(folder, 'results-7679.json'), JSON.stringify({ results, metrics: {}, meta: { model_path: 'bench' } }, null, 2));
