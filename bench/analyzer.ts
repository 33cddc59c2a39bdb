// Analyzer benchmarks (issue #3), on synthetic clips rendered with a seed no test uses:
// accuracy as CameraBench grades it (AP per primitive, Table-1 layout) and speed (analysis
// time of a 5 s clip against its duration, per core: opencv.js runs on one thread).
// Prints JSON: { table, meanAp, pairs, speed }.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRIMITIVES, type Primitive } from '../common/camerabench/primitives';
import { evaluateScoreFile, formatTable1, table1, type CameraBenchSplitResult } from '../common/metrics/camerabench';
import { analyzeClip, analyzeClips } from '../backend/motion/analyze/index';
import { synthesize } from '../backend/motion/synth/synthesize';

const BENCH_SEED = 918_273;
const count = Number(process.argv[2] ?? 48);
const work = mkdtempSync(join(tmpdir(), 'frustum-analyzer-'));
try {
  const set = join(work, 'set');
  await synthesize({ out: set, count, seed: BENCH_SEED, width: 320, height: 180, fps: 25, durationSeconds: 3 });
  const manifest = JSON.parse(readFileSync(join(set, 'manifest.json'), 'utf8')) as { clips: Array<{ clip: string; primitives: string[] }> };
  const results = await analyzeClips(manifest.clips.map((clip) => join(set, clip.clip)));
  const perPrimitive: Partial<Record<Primitive, CameraBenchSplitResult>> = {};
  for (const primitive of PRIMITIVES) {
    const scores = manifest.clips.map((clip, index) => {
      const result = results[index];
      return {
        video_path: clip.clip,
        question: primitive,
        ground_truth_label: clip.primitives.includes(primitive) ? 'Yes' : 'No',
        method: 'frustum-analyzer',
        score: result?.ok ? result.reading.scores[primitive] : 0,
        error: result?.ok ? null : (result?.error ?? 'missing'),
      };
    });
    const split = evaluateScoreFile({ scores }, primitive);
    if (split) perPrimitive[primitive] = split;
  }
  const table = table1(perPrimitive);
  const ap = (name: string) => table.find((column) => column.name === name)?.average_precision ?? null;

  const speedSet = join(work, 'speed');
  const speedClip = await synthesize({ out: speedSet, count: 9, seed: BENCH_SEED + 1, width: 480, height: 272, fps: 25, durationSeconds: 5 });
  const clip = join(speedSet, speedClip.clips[8]?.clip ?? '');
  await analyzeClip(clip); // opencv.js loads once per process: not part of a clip's cost
  // Wall time (what a user waits; ffmpeg decodes on another core meanwhile) and this process's
  // CPU time (the tracking and fitting alone, on one thread).
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const usage = process.cpuUsage();
    await analyzeClip(clip);
    runs.push(performance.now() - started);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[2] as number;
  const medianMs = median(runs);
  process.stdout.write(
    JSON.stringify({
      clips: count,
      meanAp: ap('Mean'),
      pairs: { Pan_Left: ap('Pan_Left'), Move_Left: ap('Move_Left'), Tilt_Up: ap('Tilt_Up'), Move_Up: ap('Move_Up'), Zoom_In: ap('Zoom_In'), Move_In: ap('Move_In') },
      table: formatTable1(table, 'ap'),
      speed: { clipSeconds: 5, analysisMs: medianMs, ratioPerCore: medianMs / 5000, cpuMs: median(cpu) },
    }) + '\n',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
