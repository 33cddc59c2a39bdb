// In-process scoring of an evaluation-results file against JSON.parse of the same text,
// interleaved in one run so machine noise hits both alike. Prints JSON.
import { readFileSync } from 'node:fs';
import { scoreResults } from '../backend/evaluation/score';
import { readInputFile } from '../backend/formats/readInput';

const file = process.argv[2];
if (!file) throw new Error('usage: scoreInProcess.js <results.json>');
const text = readFileSync(file, 'utf8');
const input = readInputFile(file);
const runs = 15;
const parseTimes: number[] = [];
const scoreTimes: number[] = [];
for (let run = 0; run < runs + 2; run++) {
  let started = performance.now();
  JSON.parse(text);
  const parseTime = performance.now() - started;
  started = performance.now();
  const score = scoreResults(input);
  const scoreTime = performance.now() - started;
  if (score.count !== 7679 && score.count < 1) throw new Error('nothing scored');
  if (run >= 2) {
    parseTimes.push(parseTime);
    scoreTimes.push(scoreTime);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
process.stdout.write(JSON.stringify({ records: input.records.length, parseMs: median(parseTimes), scoreMs: median(scoreTimes) }) + '\n');
