// `frustum train PROJECT --engine llamafactory|easyr1|builtin --objective sft|grpo [--model M]
//   [--set key=value]... [--split S]... [--status S]... [--filter JSON] [--gpus N] [--nodes N]
//   [--ray-address URL] [--python PATH] [--resume JOB] [--dry-run] [--detach] [--json]`
// Freezes the chosen samples into a run folder beside the project and runs the trainer there as
// a job (backend/engines/trainJob.ts): in this terminal, its output printed as it comes (Ctrl+C
// or `frustum cancel` stops the whole tree), or with --detach in the background, where the
// studio's Train view and `frustum logs -f` follow it. --dry-run prints what would be written.
import type { TrainRequest } from '../../../common/api/contract';
import { UsageError } from '../../../common/errors';
import { openProject } from '../../../db/connection';
import { jobById } from '../../../db/jobs';
import { foregroundJobResult, runForegroundJob } from '../../../backend/jobs/foreground';
import { createJobSupervisor } from '../../../backend/jobs/supervisor';
import { checkTrainRequest } from '../../../backend/engines/plan';
import { previewTrainPlan } from '../../../backend/engines/preview';
import { trainParams, type TrainParams, type TrainResult } from '../../../backend/engines/trainJob';
import { filterOf } from '../filterOption';
import { parseJobId } from '../jobId';
import { printJson, printLines } from '../output';

export interface TrainCommandOptions {
  engine?: TrainRequest['engine'];
  objective?: 'sft' | 'grpo';
  model?: string;
  set?: string[];
  split?: string[];
  status?: Array<'draft' | 'reviewed' | 'accepted' | 'rejected'>;
  filter?: string;
  gpus?: string;
  nodes?: string;
  rayAddress?: string;
  python?: string;
  resume?: string;
  dryRun?: boolean;
  detach?: boolean;
  json?: boolean;
}

function count(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 1024) throw new UsageError(`--${name} must be a whole number from 1, got "${text}"`);
  return value;
}

function sets(texts: readonly string[]): Array<{ key: string; value: string }> {
  return texts.map((text) => {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`--set ${text}: write key=value (e.g. learning_rate=5e-5, or worker.rollout.n=4 for EasyR1)`);
    return { key: text.slice(0, equals).trim(), value: text.slice(equals + 1) };
  });
}

function requestOf(options: TrainCommandOptions): TrainRequest {
  if (options.engine === undefined || options.objective === undefined) {
    throw new UsageError('give --engine llamafactory --objective sft, --engine easyr1 --objective grpo, or --engine builtin with either (or --resume JOB)');
  }
  const filter = filterOf(options);
  const gpus = count(options.gpus, 'gpus');
  const nodes = count(options.nodes, 'nodes');
  return {
    engine: options.engine,
    objective: options.objective,
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.set !== undefined ? { sets: sets(options.set) } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(options.rayAddress !== undefined ? { rayAddress: options.rayAddress } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
  };
}

/** A resume takes the resumed job's request; it is a job of its own on the same run folder. */
function resumeParams(project: string, text: string, options: TrainCommandOptions): TrainParams {
  const jobId = parseJobId(text, project);
  const db = openProject(project, { readonly: true });
  try {
    const row = jobById(db, jobId);
    if (!row || row.kind !== 'train') throw new UsageError(`job ${jobId} is not a training job (frustum jobs ${project} lists them)`);
    const earlier = trainParams.parse(JSON.parse(row.params));
    return {
      request: earlier.request,
      resumeOf: jobId,
      ...(options.set !== undefined ? { resumeSets: sets(options.set) } : {}),
      ...(options.python !== undefined ? { python: options.python } : earlier.python !== undefined ? { python: earlier.python } : {}),
    };
  } finally {
    db.close();
  }
}

export async function run(project: string, options: TrainCommandOptions): Promise<void> {
  const params: TrainParams = options.resume !== undefined
    ? resumeParams(project, options.resume, options)
    : { request: requestOf(options), ...(options.python !== undefined ? { python: options.python } : {}) };
  checkTrainRequest(params.request);
  if (options.dryRun === true) return dryRun(project, params, options);
  if (options.detach === true) return detach(project, params, options);
  const isJson = options.json === true;
  const job = await runForegroundJob(project, 'train', params, {
    // The trainer's own output, as if it ran here; JSON mode keeps stdout for the result.
    log: (line) => (isJson ? process.stderr : process.stdout).write(`${line}\n`),
  });
  const result = foregroundJobResult(job, project) as TrainResult;
  if (isJson) {
    printJson({ ok: true, jobId: job.row.id, ...result });
    return;
  }
  printLines([
    '',
    `job ${job.row.id} finished: ${result.lastStep === null ? 'no step logged' : `last step ${result.lastStep}`}`,
    `run folder: ${result.runFolder}`,
    `checkpoints: ${result.checkpoints.length === 0 ? 'none' : result.checkpoints.join(', ')}`,
  ]);
}

async function dryRun(project: string, params: TrainParams, options: TrainCommandOptions): Promise<void> {
  if (params.resumeOf !== undefined) throw new UsageError('--dry-run previews a new run; a resume runs the folder it continues (see its command.sh)');
  const db = openProject(project);
  try {
    const plan = await previewTrainPlan(db, project, params.request, params.python !== undefined ? { python: params.python } : {});
    if (options.json === true) {
      printJson(plan);
      return;
    }
    const lines = [`would write ${plan.runFolder}/ (${plan.samples} samples, snapshot ${plan.snapshotHash.slice(0, 12)})`, ''];
    for (const note of plan.notes) lines.push(`  · ${note}`);
    for (const file of plan.files) lines.push('', `==> ${file.path} <==`, file.text.trimEnd());
    printLines(lines);
  } finally {
    db.close();
  }
}

async function detach(project: string, params: TrainParams, options: TrainCommandOptions): Promise<void> {
  const db = openProject(project);
  try {
    const supervisor = createJobSupervisor({ db, projectPath: project, emit: () => {}, log: (line) => process.stderr.write(`${line}\n`) });
    try {
      const job = supervisor.start('train', params);
      if (options.json === true) printJson({ ok: true, jobId: job.id, state: job.state });
      else printLines([`job ${job.id} started: ${job.title}`, `follow it: frustum logs ${project} ${job.id} -f   (or the studio's Train view)`, `stop it: frustum cancel ${project} ${job.id}`]);
    } finally {
      supervisor.close();
    }
  } finally {
    db.close();
  }
}
