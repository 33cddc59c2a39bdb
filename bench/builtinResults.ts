// The built-in reasoner's results (issue 11, item 6), measured as a person would get them: demo
// projects made with `frustum demo`, models trained with `frustum train --engine builtin`, and each
// checkpoint's ONNX export run over a project of clips from a seed no test and no training run
// uses. Reported: SFT accuracy and CameraBench mean AP (score = P(Yes) at the answer token),
// the format reward, the share of chains the analyzer's reading contradicts, and whether GRPO on
// RL records lifts a model whose SFT saw only a small set (CamReasoner's 18k SFT / 38k RL story).
// Run: `npm run build && node dist/bench/builtinResults.js [--keep]` (a few minutes on two cores).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openProject } from '../db/connection';
import { evaluateBuiltinOnProject, type ProjectEvaluation } from '../training/inference/evaluateProject';

const root = resolve(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'frustum.js');
const work = mkdtempSync(join(tmpdir(), 'frustum-builtin-results-'));
const SEEDS = { train: 11, small: 12, unseen: 9001 } as const;

function frustum(...args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
}

function demo(name: string, count: number, seed: number): string {
  const folder = join(work, name);
  mkdirSync(folder);
  const project = join(folder, `${name}.frustum`);
  frustum('demo', project, '--count', String(count), '--seed', String(seed), '--json');
  return project;
}

function train(project: string, objective: 'sft' | 'grpo', sets: string[], model?: string): { checkpoint: string; seconds: number } {
  const started = Date.now();
  const output = frustum('train', project, '--engine', 'builtin', '--objective', objective, ...(model ? ['--model', model] : []), ...sets.flatMap((set) => ['--set', set]), '--json');
  const result = JSON.parse(output) as { runFolder: string; checkpoints: string[] };
  const last = result.checkpoints.at(-1);
  if (last === undefined) throw new Error(`${objective} on ${project} left no checkpoint`);
  return { checkpoint: join(result.runFolder, 'checkpoints', last, 'actor'), seconds: (Date.now() - started) / 1000 };
}

async function evaluate(project: string, checkpoint: string): Promise<ProjectEvaluation> {
  const db = openProject(project);
  try {
    return await evaluateBuiltinOnProject(db, checkpoint);
  } finally {
    db.close();
  }
}

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
const row = (name: string, result: ProjectEvaluation) =>
  `| ${name} | ${percent(result.accuracy)} | ${result.meanAveragePrecision === null ? '—' : result.meanAveragePrecision.toFixed(3)} | ${percent(result.format)} | ${percent(result.contradictionShare)} |`;

try {
  console.log(`work folder ${work}`);
  const trainProject = demo('train', 32, SEEDS.train);
  const smallProject = demo('small', 6, SEEDS.small);
  const unseen = demo('unseen', 16, SEEDS.unseen);

  const full = train(trainProject, 'sft', []);
  const small = train(smallProject, 'sft', []);
  const grpo = train(trainProject, 'grpo', ['trainer.max_steps=20', 'trainer.val_freq=5'], small.checkpoint);

  const results = {
    full: await evaluate(unseen, full.checkpoint),
    small: await evaluate(unseen, small.checkpoint),
    grpo: await evaluate(unseen, grpo.checkpoint),
  };
  const samples = results.full.samples.length;
  console.log(`\nOn ${samples} questions about 16 clips of seed ${SEEDS.unseen} (unseen); always answering "No" scores ${percent(results.full.majorityAccuracy)}.\n`);
  console.log('| model | accuracy | CameraBench mean AP | format reward | chains contradicted |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row(`SFT on 480 records (32 clips, seed ${SEEDS.train}), ${full.seconds.toFixed(0)} s`, results.full));
  console.log(row(`SFT on 90 records (6 clips, seed ${SEEDS.small}), ${small.seconds.toFixed(0)} s`, results.small));
  console.log(row(`  + GRPO, 20 steps on the 480 RL records, ${grpo.seconds.toFixed(0)} s`, results.grpo));
  console.log(`\nGRPO lift over its SFT start: accuracy ${((results.grpo.accuracy - results.small.accuracy) * 100).toFixed(1)} points, mean AP ${((results.grpo.meanAveragePrecision ?? 0) - (results.small.meanAveragePrecision ?? 0)).toFixed(3)}`);
} finally {
  if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
}
