// `frustum infer PROJECT --endpoint URL --model NAME [--filter …] [--concurrency N]
//   [--frames-fps 1 --max-frames 64] [--builtin] [--resume RUN] [--detach] [--json]`
// Asks a model about the chosen samples as CamReasoner's evaluation does (backend/inference):
// the samples are frozen into a run with its exact settings, then a job asks them, printing a
// line per answer; Ctrl+C or `frustum cancel` stops it, and `--resume RUN` asks only what is left.
import { frameSettings, inferenceSettings, type InferenceRequest, type InferenceSettings } from '../../../common/api/contract';
import { UsageError } from '../../../common/errors';
import { openProject } from '../../../db/connection';
import { runCounts } from '../../../db/inference';
import { foregroundJobResult, runForegroundJob } from '../../../backend/jobs/foreground';
import { createJobSupervisor } from '../../../backend/jobs/supervisor';
import { CAMREASONER_SETTINGS } from '../../../backend/inference/engine';
import { freezeInferenceRun, inferenceRunMeta, type InferParams, type InferResult } from '../../../backend/inference/runInference';
import { filterOf, type FilterOptions } from '../filterOption';
import { percent, printJson, printLines } from '../output';

export interface InferCommandOptions extends FilterOptions {
  endpoint?: string;
  model?: string;
  builtin?: boolean;
  apiKeyEnv?: string;
  concurrency?: string;
  framesFps?: string;
  maxFrames?: string;
  maxPixels?: string;
  sampling?: 'first' | 'uniform';
  parts?: 'images' | 'video-frames' | 'video-file';
  temperature?: string;
  maxTokens?: string;
  resume?: string;
  detach?: boolean;
  json?: boolean;
}

function numberOption(text: string | undefined, name: string, fallback: number, isWhole: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (isWhole && !Number.isInteger(value))) throw new UsageError(`--${name} must be a ${isWhole ? 'whole ' : ''}number, got "${text}"`);
  return value;
}

function settingsOf(options: InferCommandOptions): InferenceSettings {
  const isBuiltin = options.builtin === true;
  if (!isBuiltin && (options.endpoint === undefined || options.model === undefined)) {
    throw new UsageError('give --endpoint URL and --model NAME (the served model, e.g. CamReasoner-7B), or --builtin for a built-in checkpoint');
  }
  if (isBuiltin && options.endpoint !== undefined) throw new UsageError('--builtin runs the built-in model on this machine; leave out --endpoint');
  const defaults = CAMREASONER_SETTINGS;
  const frames = frameSettings.safeParse({
    sampling: options.sampling ?? defaults.frames.sampling,
    parts: options.parts ?? defaults.frames.parts,
    fps: numberOption(options.framesFps, 'frames-fps', defaults.frames.fps, false),
    maxFrames: numberOption(options.maxFrames, 'max-frames', defaults.frames.maxFrames, true),
    maxPixels: numberOption(options.maxPixels, 'max-pixels', defaults.frames.maxPixels, true),
  });
  if (!frames.success) throw new UsageError(`frame settings: ${frames.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  const settings = inferenceSettings.safeParse({
    engine: isBuiltin ? 'builtin' : 'openai',
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    model: options.model ?? 'newest',
    ...(options.apiKeyEnv !== undefined ? { apiKeyEnv: options.apiKeyEnv } : {}),
    temperature: numberOption(options.temperature, 'temperature', defaults.temperature, false),
    maxTokens: numberOption(options.maxTokens, 'max-tokens', defaults.maxTokens, true),
    frames: frames.data,
  });
  if (!settings.success) throw new UsageError(`settings: ${settings.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ')}`);
  return settings.data;
}

function concurrencyOf(options: InferCommandOptions): number | undefined {
  if (options.concurrency === undefined) return undefined;
  const value = numberOption(options.concurrency, 'concurrency', 8, true);
  if (value < 1 || value > 256) throw new UsageError(`--concurrency must be from 1 to 256, got ${value}`);
  return value;
}

export async function run(project: string, options: InferCommandOptions): Promise<void> {
  const isJson = options.json === true;
  const say = (lines: string[]) => (isJson ? process.stderr.write(`${lines.join('\n')}\n`) : printLines(lines));
  let params: InferParams;
  const concurrency = concurrencyOf(options);
  const db = openProject(project);
  try {
    if (options.resume !== undefined) {
      const runId = Number(options.resume);
      if (!/^\d+$/.test(options.resume) || runId <= 0) throw new UsageError(`--resume takes a run id, got "${options.resume}"`);
      inferenceRunMeta(db, runId);
      const counts = runCounts(db, runId);
      say([`run ${runId}: ${counts.done - counts.errors} of ${counts.samples} answered before; asking the rest`]);
      params = { runId, ...(concurrency !== undefined ? { concurrency } : {}) };
    } else {
      const filter = filterOf(options);
      const request: InferenceRequest = { settings: settingsOf(options), concurrency: concurrency ?? 8, ...(filter !== undefined ? { filter } : {}) };
      const frozen = freezeInferenceRun(db, project, request);
      const leftOut = [
        ...(frozen.withoutClip > 0 ? [`${frozen.withoutClip} without a clip`] : []),
        ...(frozen.freeFormSkipped > 0 ? [`${frozen.freeFormSkipped} free-form (the built-in model cannot caption)`] : []),
      ];
      const left = leftOut.length > 0 ? ` (${leftOut.join(', ')} left out)` : '';
      say([`run ${frozen.runId}: ${frozen.samples} samples${left}, snapshot ${frozen.snapshotHash.slice(0, 12)}, ${frozen.settings.engine === 'builtin' ? `built-in ${frozen.settings.model}` : `${frozen.settings.model} at ${frozen.settings.endpoint ?? ''}`}`]);
      params = { runId: frozen.runId };
    }
  } finally {
    db.close();
  }
  if (options.detach === true) return detach(project, params, isJson);
  const job = await runForegroundJob(project, 'infer', params, {
    log: (line) => (isJson ? process.stderr : process.stdout).write(`${line}\n`),
  });
  const result = foregroundJobResult(job, project) as InferResult;
  if (isJson) {
    printJson({ ok: true, jobId: job.row.id, ...result });
    return;
  }
  printLines([
    '',
    `run ${result.runId}: ${result.answered} of ${result.samples} answered, ${result.failed} failed; accuracy ${result.accuracy === null ? '–' : percent(result.accuracy)} (CamReasoner's evaluator), ${result.completionTokens} tokens, ${result.seconds.toFixed(1)} s`,
    `results file: frustum export ${project} --format results --run ${result.runId} --out results.json`,
  ]);
}

function detach(project: string, params: InferParams, isJson: boolean): void {
  const db = openProject(project);
  try {
    const supervisor = createJobSupervisor({ db, projectPath: project, emit: () => {}, log: (line) => process.stderr.write(`${line}\n`) });
    try {
      const job = supervisor.start('infer', params);
      if (isJson) printJson({ ok: true, runId: params.runId, jobId: job.id, state: job.state });
      else printLines([`job ${job.id} started: ${job.title}`, `follow it: frustum logs ${project} ${job.id} -f   (or the studio's Inspect view)`, `stop it: frustum cancel ${project} ${job.id}; go on later: frustum infer ${project} --resume ${params.runId}`]);
    } finally {
      supervisor.close();
    }
  } finally {
    db.close();
  }
}
