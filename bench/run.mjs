// `npm run bench`: every figure is a ratio against a baseline measured in the same run
// (issue #2). Whole-process timings use hyperfine when it is installed (apt-get install
// hyperfine), else an interleaved loop here; both report medians.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const evalFile = resolve(root, '..', 'shared', 'data', 'camreasoner', 'camerabench_binary.json');
if (!existsSync(evalFile)) {
  console.error(`bench: needs ${evalFile} (the shared reference data beside the repository)`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'frustum-bench-'));
const node = process.execPath;
const cli = join(root, 'bin', 'frustum.js');
const project = join(work, 'bench.frustum');
const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;

execFileSync(node, [join(root, 'dist', 'bench', 'prepare.js'), work, evalFile], { stdio: 'inherit' });
const sft = join(work, 'sft-18k.json');
const rl = join(work, 'rl-38k.json');
const results = join(work, 'results-7679.json');

const q = (text) => `'${text.replace(/'/g, `'\\''`)}'`;
const parseOnly = (files) => `${q(node)} -e ${q(`const fs=require('fs');for(const f of ${JSON.stringify(files)})JSON.parse(fs.readFileSync(f,'utf8'))`)}`;
const fresh = `rm -f ${q(project)} ${q(project)}-wal ${q(project)}-shm && ${q(node)} ${q(cli)} init ${q(project)} >/dev/null`;
const importCmd = (files) => `${q(node)} ${q(cli)} import ${q(project)} ${files.map(q).join(' ')} >/dev/null`;

/** Median seconds of baseline and candidate, measured in one run. */
function compare(name, baseline, candidate, runs) {
  if (hasHyperfine) {
    const exported = join(work, `${name}.json`);
    execFileSync('hyperfine', ['--style', 'none', '--warmup', '1', '--runs', String(runs), '--prepare', fresh, '--export-json', exported, '-n', 'baseline', baseline, '-n', 'frustum', candidate], { stdio: 'ignore' });
    const data = JSON.parse(execFileSync(node, ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(exported)},'utf8'))`]).toString());
    return { baseline: data.results[0].median, candidate: data.results[1].median };
  }
  const times = { baseline: [], candidate: [] };
  for (let run = 0; run < runs; run++) {
    for (const [key, command] of [['baseline', baseline], ['candidate', candidate]]) {
      execFileSync('sh', ['-c', fresh]);
      const started = performance.now();
      execFileSync('sh', ['-c', command]);
      times[key].push((performance.now() - started) / 1000);
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { baseline: median(times.baseline), candidate: median(times.candidate) };
}

const rows = [];
function report(name, baselineName, measured, target) {
  const ratio = measured.candidate / measured.baseline;
  rows.push({ name, baselineName, ...measured, ratio, target, ok: ratio <= target });
}

report('import camerabench_binary.json (7,679 records), whole process', 'node JSON.parse of the file',
  compare('import-eval', parseOnly([evalFile]), importCmd([evalFile]), 10), 4);
report('import 18k SFT + 38k RL records, whole process', 'node JSON.parse of both files',
  compare('import-sft-rl', parseOnly([sft, rl]), importCmd([sft, rl]), 5), 6);

const scored = JSON.parse(execFileSync(node, [join(root, 'dist', 'bench', 'scoreInProcess.js'), results]).toString());
rows.push({
  name: `score ${scored.records} results in process`, baselineName: 'JSON.parse of the file',
  baseline: scored.parseMs / 1000, candidate: scored.scoreMs / 1000, ratio: scored.scoreMs / scored.parseMs,
  target: null, ok: scored.scoreMs <= 100, note: `target ≤ 100 ms: ${scored.scoreMs.toFixed(1)} ms`,
});

const strip = JSON.parse(execFileSync(node, [join(root, 'dist', 'bench', 'filmstrip.js')]).toString());
report('filmstrip of a 10 s 720p clip, cold cache, in process', 'ffmpeg -f null decode of the clip',
  { baseline: strip.decodeMs / 1000, candidate: strip.filmstripMs / 1000 }, 1.5);

const analyzer = JSON.parse(execFileSync(node, [join(root, 'dist', 'bench', 'analyzer.js'), '48']).toString());
const pairFloor = Math.min(...Object.values(analyzer.pairs));
rows.push({
  name: `analyzer accuracy on ${analyzer.clips} synthetic clips (unseen seed): mean AP over 15 primitives`, baselineName: 'target 0.95; pan/truck, tilt/pedestal, zoom/dolly ≥ 0.90 each',
  baseline: 0.95, candidate: analyzer.meanAp, ratio: analyzer.meanAp / 0.95, target: null, ok: analyzer.meanAp >= 0.95 && pairFloor >= 0.9,
  note: `mean AP ${analyzer.meanAp.toFixed(3)}, weakest of the confusable pairs ${pairFloor.toFixed(3)}`, unit: 'AP',
});
rows.push({
  name: 'analyzer speed: a 5 s 480x272 clip, one core', baselineName: 'the clip duration',
  baseline: analyzer.speed.clipSeconds, candidate: analyzer.speed.analysisMs / 1000, ratio: analyzer.speed.ratioPerCore,
  target: 0.1, ok: analyzer.speed.ratioPerCore <= 0.1,
  note: `wall time; the analyzing thread's own CPU time ${analyzer.speed.cpuMs.toFixed(0)} ms = ${(analyzer.speed.cpuMs / 5000).toFixed(3)}×`,
});

// A whole run of `frustum infer` against the FAKE vLLM server (issue 12 item 5): wall time vs
// the server's own pacing, peak memory, and every answer checked (bench/inferenceRun.ts).
const inference = JSON.parse(execFileSync(node, [join(root, 'dist', 'bench', 'inferenceRun.js')], { stdio: ['ignore', 'pipe', 'inherit'] }).toString());
for (const run of inference.runs) {
  const isMain = run.concurrency === 64 && run.parts === 'images';
  const isCorrect = run.answered === run.questions && run.failed === 0 && run.misplaced === 0 && Math.abs(run.accuracy - run.expectedAccuracy) < 1e-9;
  const ratio = run.wallSeconds / run.idealSeconds;
  const what = run.parts === 'images' ? 'frames extracted by ffmpeg' : 'each clip sent whole, no ffmpeg (--parts video-file)';
  rows.push({
    name: `frustum infer, ${run.questions} CameraBench questions at concurrency ${run.concurrency} against the fake vLLM server, ${what}, whole process`,
    baselineName: `the server's own pacing: ${Math.ceil(run.questions / run.concurrency)} rounds × ${(inference.answerSeconds * 1000).toFixed(0)} ms, one ${inference.tokens}-token answer alone`,
    baseline: run.idealSeconds, candidate: run.wallSeconds, ratio,
    target: isMain ? inference.target : null, ok: (!isMain || ratio <= inference.target) && isCorrect,
    note: [
      ...(isMain ? [] : ['for context, no target']),
      `${(run.questions / run.wallSeconds).toFixed(1)} questions/s; each answer's stream took ${(run.streamSeconds.median * 1000).toFixed(0)} ms (median), ${(run.streamSeconds.p95 * 1000).toFixed(0)} ms (95th percentile)`,
      `peak memory (VmHWM) ${run.peakRssMb.toFixed(0)} MB; project file ${run.projectMb.toFixed(1)} MB; CPU ${run.cpuSeconds.toFixed(0)} s in the CLI + ${run.childCpuSeconds.toFixed(0)} s in ffmpeg/ffprobe (the server: ${run.serverCpuSeconds.toFixed(0)} s)`,
      `${run.answered} of ${run.questions} answered, ${run.failed} failed, ${run.misplaced} not the scripted answer; accuracy ${(run.accuracy * 100).toFixed(2)} % (scripted ${(run.expectedAccuracy * 100).toFixed(2)} %)`,
    ].join('\n     '),
  });
}

console.log(`timer: ${hasHyperfine ? 'hyperfine' : 'built-in interleaved loop'}; medians\n`);
for (const row of rows) {
  const target = row.target === null ? row.note : `target ≤ ${row.target}×`;
  console.log(`${row.ok ? 'ok  ' : 'MISS'} ${row.name}`);
  if (row.unit === 'AP') console.log(`     ${row.note} (${row.baselineName})`);
  else console.log(`     ${(row.candidate * 1000).toFixed(1)} ms vs ${(row.baseline * 1000).toFixed(1)} ms (${row.baselineName}) = ${row.ratio.toFixed(2)}×   ${target}${row.target !== null && row.note ? `\n     ${row.note}` : ''}`);
}
console.log('\nanalyzer average precision per primitive, % (Table-1 layout)\n' + analyzer.table);
rmSync(work, { recursive: true, force: true });

// The studio in headless Chromium: frame scrubbing vs <video> seeking, Library at 100k samples.
execFileSync(node, [join(root, 'bench', 'studio.mjs')], { stdio: 'inherit' });

// TensorFlow.js's wasm kernels: the backend's own against ours (the built-in model trains on them).
execFileSync(node, [join(root, 'dist', 'bench', 'wasmKernels.js')], { stdio: 'inherit' });

// The exported reasoner in onnxruntime against TensorFlow.js's step-by-step decoding (training/onnx).
execFileSync(node, [join(root, 'dist', 'bench', 'onnxDecoding.js')], { stdio: 'inherit' });

console.log('\nThe built-in reasoner\'s SFT step against the same network in PyTorch (one thread each):');
execFileSync(node, [join(root, 'dist', 'bench', 'builtinTraining.js')], { stdio: 'inherit' });

// Train's live charts: a trainer's log line → the chart painted, and 100k points per series.
execFileSync(node, [join(root, 'dist', 'bench', 'trainChart.cjs')], { stdio: 'inherit' });

// Inspect's Ask now: the server's first token written → on screen.
execFileSync(node, [join(root, 'dist', 'bench', 'inspectFirstToken.cjs')], { stdio: 'inherit' });
