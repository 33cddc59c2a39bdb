// The `train` job: freezes the dataset into a run folder (./plan.ts, ./runFolder.ts), runs
// command.sh (or submits it to a Ray cluster), and while the trainer runs turns what it writes
// into the project's state: metric points (job_metric_points, pushed to the charts by the
// supervisor), progress from its output before the first step, GRPO rollouts, and its output
// lines in the job's log. Cancel stops the trainer's whole process tree (or the Ray job); a
// trainer that exits non-zero fails the job with the end of its output. A resume is a new job
// on the same run folder: the logs EasyR1 would truncate are kept first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { boolean, number, object, optional, string, type infer as Infer } from 'zod';
import { trainRequest } from '../../common/api/contract';
import { ProjectError, UsageError } from '../../common/errors';
import { jobById } from '../../db/jobs';
import { storeMetricPoints, storeRollouts, type MetricPoint } from '../../db/trainerOutput';
import type { JobContext } from '../jobs/kinds';
import { listCheckpoints } from './checkpoints';
import { consoleMetricsReader, EARLIER_LOGS, parseEasyR1Output, parseExperimentLogLine, parseRolloutLine } from './easyr1';
import { choosePython, hardwareFor } from './environment';
import { lastLlamaFactoryCheckpoint, parseLlamaFactoryOutput, parseTrainerLogLine } from './llamafactory';
import type { LogLine, OutputProgress } from './logLine';
import { writeRunEvidence } from './builtinEvidence';
import { planRun, rayEntrypoint } from './plan';
import { descendantsOf } from './processTree';
import { isRayFinal, rayJobsClient } from './ray';
import { readRunDescription, runFolderOf, runNameOf, writeRunDescription, writeRunFolder, type RunDescription } from './runFolder';
import { tailFile } from './tail';

/** How often the trainer's files are read: the charts' latency budget is 250 ms from a line written to a point painted. */
const POLL_MS = 50;
/** Ray's logs and status over HTTP: no need to hammer the head node. */
const RAY_POLL_MS = 1000;
/** After SIGTERM, the trainer's tree gets this long to stop before SIGKILL. */
const STOP_GRACE_MS = 4000;
/** Lines of the trainer's output quoted when it fails. */
const TAIL_LINES = 20;

export const trainParams = object({
  request: trainRequest,
  /** The Python that runs EasyR1 (`--python`; else FRUSTUM_PYTHON, else python3). */
  python: optional(string().min(1)),
  /** A resume: the training job whose run folder this one continues. */
  resumeOf: optional(number().int().positive()),
  /** A resume's `--set key=value`s: passed to command.sh, whose trainer reads them over its config (more steps, a lower rate). */
  resumeSets: optional(trainRequest.shape.sets),
  /** Write the run folder and stop (`frustum train --dry-run` writes nothing; this is for tests of the folder and for by-hand runs). */
  prepareOnly: optional(boolean()),
});
export type TrainParams = Infer<typeof trainParams>;

export function trainTitle(params: TrainParams): string {
  if (params.resumeOf !== undefined) return `resume training job ${params.resumeOf}`;
  const { engine, objective, model } = params.request;
  return `${objective.toUpperCase()} with ${ENGINE_NAMES[engine]}${model ? ` (${model})` : ''}`;
}

const ENGINE_NAMES: Record<RunDescription['engine'], string> = { llamafactory: 'LLaMA-Factory', easyr1: 'EasyR1', builtin: 'the built-in model' };

export interface TrainResult {
  runFolder: string;
  engine: RunDescription['engine'];
  snapshotHash: string;
  lastStep: number | null;
  checkpoints: string[];
  rayJobId: string | null;
}

export async function runTrainJob(params: TrainParams, context: JobContext): Promise<TrainResult> {
  const { run, folder } = await prepareRun(params, context);
  if (params.prepareOnly === true) return resultOf(run, folder, null);
  const watcher = watchTrainer(run, context, params.resumeOf !== undefined);
  const lastStep = run.request.rayAddress !== undefined ? await runOnRay(run, folder, context, watcher) : await runLocally(folder, context, watcher, resumeArguments(run, params));
  return resultOf(readRunDescription(folder) ?? run, folder, lastStep);
}

function resultOf(run: RunDescription, folder: string, lastStep: number | null): TrainResult {
  return {
    runFolder: folder,
    engine: run.engine,
    snapshotHash: run.snapshot.hash,
    lastStep,
    checkpoints: listCheckpoints(run).map((checkpoint) => checkpoint.name),
    rayJobId: run.rayJobId ?? null,
  };
}

async function prepareRun(params: TrainParams, context: JobContext): Promise<{ run: RunDescription; folder: string }> {
  if (params.resumeOf !== undefined) {
    const resumed = jobById(context.db, params.resumeOf);
    if (!resumed || resumed.kind !== 'train') throw new UsageError(`job ${params.resumeOf} is not a training job`);
    const folder = runFolderOf(context.projectPath, resumeChainOf(context.db, params.resumeOf)[0] as number);
    const run = readRunDescription(folder);
    if (run === null) throw new UsageError(`job ${params.resumeOf} has no run folder to resume (${folder}); start a new run`);
    context.log(`resuming ${folder} (${run.engine}, snapshot ${run.snapshot.hash.slice(0, 12)})`);
    if (run.engine === 'easyr1') keepEarlierLogs(run, folder, context);
    return { run, folder };
  }
  const folder = runFolderOf(context.projectPath, context.jobId);
  const hardware = await hardwareFor(params.request);
  const python = choosePython(params.python, process.env).command;
  const runName = runNameOf(context.projectPath, context.jobId);
  context.progress(0, 0, 'freezing the dataset');
  const plan = planRun(context.db, {
    request: params.request, runFolder: folder, runName, python, hardware,
  });
  const run = writeRunFolder(plan, { runName, jobId: context.jobId, request: params.request, python, rayJobId: null });
  context.log(`run folder ${folder}: ${plan.snapshot.sampleIds.length} samples, snapshot ${plan.snapshot.hash}`);
  if (run.engine === 'builtin') await writeRunEvidence(context, plan.snapshot, folder);
  for (const note of plan.notes) context.log(`  ${note}`);
  return { run, folder };
}

/**
 * A training job and the jobs it resumed, oldest first: the first owns the run folder, and the
 * run's curves are theirs together. Stops at a job that is gone or not a training job, and at a
 * loop (ids only grow, but a hand-edited row could point anywhere).
 */
export function resumeChainOf(db: JobContext['db'], jobId: number): number[] {
  const chain = [jobId];
  for (let current = jobId; ;) {
    const row = jobById(db, current);
    const resumeOf = row?.kind === 'train' ? trainParams.safeParse(JSON.parse(row.params)).data?.resumeOf : undefined;
    if (resumeOf === undefined || chain.includes(resumeOf)) return chain;
    chain.unshift(resumeOf);
    current = resumeOf;
  }
}

/**
 * EasyR1 truncates experiment_log.jsonl and generations.log when it starts, even on a resume:
 * they move to logs/attempt-N/ first (moved, not copied, so the new job's tail cannot read the
 * old lines before EasyR1 empties the file).
 */
function keepEarlierLogs(run: RunDescription, folder: string, context: JobContext): void {
  const source = run.paths.checkpointFolder;
  if (source === null) return;
  const logs = ['experiment_log.jsonl', 'generations.log', 'experiment_config.json'].filter((name) => existsSync(join(source, name)));
  if (logs.length === 0) return;
  const earlier = join(folder, EARLIER_LOGS);
  mkdirSync(earlier, { recursive: true });
  const attempt = join(earlier, `attempt-${readdirSync(earlier).length + 1}`);
  mkdirSync(attempt);
  for (const name of logs) renameSync(join(source, name), join(attempt, name));
  context.log(`kept the earlier logs in ${attempt}`);
}

/** LLaMA-Factory resumes from a checkpoint it is told (and must keep its log); EasyR1 and the built-in trainer find the tracker's last step themselves. */
function resumeArguments(run: RunDescription, params: TrainParams): string[] {
  if (params.resumeOf === undefined) return [];
  const overrides = (params.resumeSets ?? []).map(({ key, value }) => `${key}=${value}`);
  if (run.engine !== 'llamafactory') return overrides;
  const last = lastLlamaFactoryCheckpoint(dirname(run.paths.metricsLog));
  return [...(last === null ? ['overwrite_output_dir=false'] : [`resume_from_checkpoint=${last}`, 'overwrite_output_dir=false']), ...overrides];
}

interface TrainerWatcher {
  /** Reads the trainer's files: new metric lines and rollouts. */
  poll(): void;
  /** One line of the trainer's output: into the job's log, and progress before the first step. */
  outputLine(line: string): void;
  /** The last reads once the trainer has exited. */
  finish(): void;
  /** The end of its output, for a failure's message. */
  tail(): string;
  lastStep(): number | null;
}

/** Turns what the trainer writes and prints into metric points, progress and rollouts. */
function watchTrainer(run: RunDescription, context: JobContext, isResume: boolean): TrainerWatcher {
  // A resumed LLaMA-Factory or built-in run appends to the log the earlier job read; EasyR1's was moved away (keepEarlierLogs).
  const metrics = tailFile(run.paths.metricsLog, { fromEnd: isResume && run.engine !== 'easyr1' });
  const rollouts = run.paths.rollouts === null ? null : tailFile(run.paths.rollouts, { fromEnd: isResume });
  const parse = run.engine === 'llamafactory' ? parseTrainerLogLine : parseExperimentLogLine;
  // Only a Ray cluster's log needs the console's blocks (its disk is not ours); locally the file says the same.
  const consoleBlocks = run.engine === 'easyr1' && run.request.rayAddress !== undefined ? consoleMetricsReader() : null;
  const output: string[] = [];
  let total = 0;
  let lastStep: number | null = null;

  const store = (lines: readonly LogLine[]) => {
    if (lines.length === 0) return;
    const points: MetricPoint[] = lines.flatMap((line) => line.points);
    storeMetricPoints(context.db, context.jobId, points);
    for (const line of lines) {
      if (line.total !== null) total = line.total;
      lastStep = Math.max(lastStep ?? 0, line.step);
    }
    const step = lastStep ?? 0;
    context.progress(step, Math.max(total, step), `step ${step}${total > 0 ? ` of ${total}` : ''}${describePoints(points)}`);
  };

  const poll = () => {
    store(metrics.read().map(parse).filter((line): line is LogLine => line !== null));
    for (const text of rollouts?.read() ?? []) {
      const rollout = parseRolloutLine(text);
      if (rollout === null) continue;
      const groups = rollout.groups.filter((group) => group !== null && typeof group === 'object');
      storeRollouts(context.db, context.jobId, rollout.step, groups.map((group) => ({
        sampleId: typeof group.sample === 'number' ? group.sample : null,
        groundTruth: String(group.ground_truth ?? ''),
        responses: Array.isArray(group.responses) ? group.responses.filter((response) => response !== null && typeof response === 'object') : [],
      })));
    }
  };

  return {
    poll,
    outputLine(line) {
      context.log(line);
      output.push(line);
      if (output.length > TAIL_LINES) output.shift();
      const block = consoleBlocks?.feed(line) ?? null;
      if (block !== null) store([block]);
      // The built-in trainer prints EasyR1's progress lines.
      const progress: OutputProgress | null = run.engine === 'llamafactory' ? parseLlamaFactoryOutput(line) : parseEasyR1Output(line);
      if (progress === null) return;
      if (progress.total !== undefined) total = progress.total;
      context.progress(lastStep ?? 0, total, progress.message);
    },
    finish() {
      const block = consoleBlocks?.flush() ?? null;
      if (block !== null) store([block]);
      poll();
    },
    tail: () => output.join('\n'),
    lastStep: () => lastStep,
  };
}

const SHOWN_KEYS = ['loss', 'eval_loss', 'reward/overall', 'reward/accuracy', 'actor/kl_loss'];

function describePoints(points: readonly MetricPoint[]): string {
  const shown = SHOWN_KEYS.flatMap((key) => {
    const point = points.findLast((candidate) => candidate.key === key);
    return point === undefined ? [] : [`${key} ${formatValue(point.value)}`];
  });
  return shown.length === 0 ? '' : `: ${shown.join(', ')}`;
}

function formatValue(value: number): string {
  return Math.abs(value) >= 0.01 || value === 0 ? value.toFixed(4) : value.toExponential(2);
}

/** Splits a stream into lines; tqdm's carriage-return redraws keep only their last state. */
function lineReader(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let partial = '';
  const emit = (line: string) => {
    const shown = line.split('\r').filter((part) => part.trim() !== '').at(-1);
    if (shown !== undefined) onLine(shown.trimEnd());
  };
  return {
    push(chunk) {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) emit(line);
    },
    end() {
      if (partial !== '') emit(partial);
      partial = '';
    },
  };
}

async function runLocally(folder: string, context: JobContext, watcher: TrainerWatcher, extraArguments: string[]): Promise<number | null> {
  context.signal.throwIfAborted();
  const command = join(folder, 'command.sh');
  context.log(`$ ${command}${extraArguments.length > 0 ? ` ${extraArguments.join(' ')}` : ''}`);
  context.progress(0, 0, 'starting the trainer');
  // Unbuffered: the trainer's progress lines arrive as printed, not in 8 KiB blocks.
  const child = spawn('bash', [command, ...extraArguments], { cwd: folder, env: { ...process.env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const reader = lineReader((line) => watcher.outputLine(line));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => reader.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => reader.push(chunk));
  const timer = setInterval(() => watcher.poll(), POLL_MS);
  const stop = () => void stopTree(child);
  context.signal.addEventListener('abort', stop, { once: true });
  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    reader.end();
    watcher.finish();
    context.signal.throwIfAborted();
    if (exit.code !== 0) {
      throw new ProjectError(folder, `the trainer ${exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}; its last lines:\n${watcher.tail()}`);
    }
    return watcher.lastStep();
  } finally {
    clearInterval(timer);
    context.signal.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) await stopTree(child);
  }
}

/** SIGTERM to the trainer and every process under it (torchrun's workers, Ray's local daemons), SIGKILL to what remains after a grace. */
async function stopTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const pids = [child.pid, ...descendantsOf(child.pid)];
  for (const pid of pids.reverse()) signal(pid, 'SIGTERM');
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_GRACE_MS).unref());
  if ((await Promise.race([exited.then(() => false), timedOut])) === true || pids.some(isAlive)) {
    for (const pid of [child.pid, ...descendantsOf(child.pid), ...pids]) signal(pid, 'SIGKILL');
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runOnRay(run: RunDescription, folder: string, context: JobContext, watcher: TrainerWatcher): Promise<number | null> {
  const address = run.request.rayAddress as string;
  const client = rayJobsClient(address);
  // A resume is a new submission (Ray ids are single-use); the run's name says which job it was.
  const submissionId = `${run.runName}-${context.jobId}`;
  const command = rayEntrypoint(folder, run.python);
  context.progress(0, 0, `submitting to the Ray cluster at ${address}`);
  const id = await client.submit({ entrypoint: command, submissionId, envVars: { PYTHONUNBUFFERED: '1' }, metadata: { frustum_job: String(context.jobId), frustum_run: run.runName } });
  writeRunDescription(folder, { ...run, rayJobId: id });
  context.log(`submitted to Ray as ${id}: ${command}`);
  let logOffset = 0;
  const reader = lineReader((line) => watcher.outputLine(line));
  const timer = setInterval(() => watcher.poll(), POLL_MS);
  try {
    for (;;) {
      if (context.signal.aborted) {
        context.log(`stopping Ray job ${id}`);
        await client.stop(id).catch((error: unknown) => context.log(`could not stop Ray job ${id}: ${error instanceof Error ? error.message : String(error)}`));
        context.signal.throwIfAborted();
      }
      const [details, logs] = await Promise.all([client.status(id), client.logs(id)]);
      if (logs.length > logOffset) {
        reader.push(logs.slice(logOffset));
        logOffset = logs.length;
      }
      if (isRayFinal(details.status)) {
        reader.end();
        watcher.finish();
        if (details.status !== 'SUCCEEDED') {
          throw new ProjectError(folder, `the Ray job ${id} ended ${details.status}${details.message ? `: ${details.message}` : ''}; its last lines:\n${watcher.tail()}`);
        }
        return watcher.lastStep();
      }
      await new Promise<void>((resolve) => {
        const wait = setTimeout(resolve, RAY_POLL_MS);
        context.signal.addEventListener('abort', () => {
          clearTimeout(wait);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    clearInterval(timer);
  }
}


