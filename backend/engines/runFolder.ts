// A training run's folder: `<folder>/<project name>.runs/<job id>/` beside the project (two
// projects may share a folder, as their `.jobs/` logs do). It holds the frozen dataset, the
// config, command.sh, what the trainer writes, and run.json, which says how to read it all
// back: the studio and a resume find everything from there.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { array, enum as zodEnum, nullable, number, object, optional, string, type infer as Infer } from 'zod';
import { libraryFilter, trainEngine, trainRequest } from '../../common/api/contract';
import { ProjectError } from '../../common/errors';
import type { RunPlan } from './plan';
import { writeSnapshot } from './snapshot';

/** Absolute: the configs name their files by it, and the trainer runs in another working folder. */
export function runsFolder(projectPath: string): string {
  const project = resolve(projectPath);
  return join(dirname(project), `${basename(project, extname(project))}.runs`);
}

export function runFolderOf(projectPath: string, jobId: number): string {
  return join(runsFolder(projectPath), String(jobId));
}

/** The run's name: EasyR1's experiment_name and the Ray submission id. */
export function runNameOf(projectPath: string, jobId: number): string {
  return `${basename(projectPath, extname(projectPath)).replace(/[^\w.-]+/g, '_')}-job-${jobId}`;
}

export const RUN_JSON = 'run.json';

const runDescription = object({
  engine: trainEngine,
  objective: zodEnum(['sft', 'grpo']),
  model: string(),
  runName: string(),
  jobId: number().int().positive(),
  request: trainRequest,
  python: string(),
  paths: object({ metricsLog: string(), checkpointFolder: nullable(string()), rollouts: nullable(string()) }),
  snapshot: object({ hash: string(), samples: number().int().nonnegative(), filter: libraryFilter }),
  notes: array(string()),
  rayJobId: optional(nullable(string())),
});
export type RunDescription = Infer<typeof runDescription>;

/** Writes the whole folder: snapshot, config, reward, command.sh (executable) and run.json. A failure leaves no half folder. */
export function writeRunFolder(plan: RunPlan, description: Omit<RunDescription, 'paths' | 'snapshot' | 'notes' | 'engine' | 'objective' | 'model'>): RunDescription {
  const folder = plan.runFolder;
  if (existsSync(folder)) throw new ProjectError(folder, 'a run folder is already there (left by a project made anew at this path?); move it away first');
  mkdirSync(folder, { recursive: true });
  try {
    writeSnapshot(folder, plan.snapshot);
    for (const file of plan.files) {
      const path = join(folder, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    chmodSync(join(folder, 'command.sh'), 0o755);
    const written: RunDescription = {
      ...description,
      engine: plan.engine,
      objective: plan.objective,
      model: plan.model,
      paths: plan.paths,
      snapshot: { hash: plan.snapshot.hash, samples: plan.snapshot.sampleIds.length, filter: plan.snapshot.filter },
      notes: plan.notes,
    };
    writeRunDescription(folder, written);
    return written;
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

export function writeRunDescription(folder: string, description: RunDescription): void {
  writeFileSync(join(folder, RUN_JSON), `${JSON.stringify(description, null, 2)}\n`);
}

/** run.json, checked; null when the folder has none (a job that failed before writing it). */
export function readRunDescription(folder: string): RunDescription | null {
  const path = join(folder, RUN_JSON);
  if (!existsSync(path)) return null;
  const parsed = runDescription.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ProjectError(path, `is not a run description Frustum can read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}
