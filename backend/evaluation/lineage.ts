// Where a run's numbers come from: the dataset snapshot it froze, the training job whose
// checkpoint answered (built-in runs: its run folder's run.json, with that job's own snapshot),
// the checkpoint, and for an imported run the file it came from.
import { object } from 'zod';
import { trainEngine, trainObjective, type RunLineage } from '../../common/api/contract';
import type { ReadableDB } from '../../db/connection';
import { sourcePathOfRun } from '../../db/evaluation';
import { jobById } from '../../db/jobs';
import type { RunRow } from '../../db/runs';
import { readRunDescription, runFolderOf } from '../engines/runFolder';
import { readRunMeta } from '../inference/runMeta';

// A training job's params name its engine and objective (backend/engines/trainJob.ts trainParams).
const trainJobParams = object({ request: object({ engine: trainEngine, objective: trainObjective }) });

function parsedObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function trainJobOf(db: ReadableDB, projectPath: string, jobId: number): RunLineage['trainJob'] {
  const runFolder = runFolderOf(projectPath, jobId);
  let description: ReturnType<typeof readRunDescription> = null;
  try {
    description = readRunDescription(runFolder);
  } catch {
    // A run.json another version wrote: the job's own row still says what it was.
  }
  if (description !== null) {
    return { jobId, engine: description.engine, objective: description.objective, runFolder, snapshotHash: description.snapshot.hash, samples: description.snapshot.samples };
  }
  // No run.json (the folder was moved, or the job failed before writing it): the job's row.
  const row = jobById(db, jobId);
  const params = row?.kind === 'train' ? trainJobParams.safeParse(parsedObject(row.params)) : null;
  if (!params?.success) return null;
  return { jobId, engine: params.data.request.engine, objective: params.data.request.objective, runFolder, snapshotHash: null, samples: null };
}

export function runLineageOf(db: ReadableDB, projectPath: string, run: RunRow): RunLineage {
  const kind = run.kind as RunLineage['kind'];
  const meta = run.kind === 'inference' ? readRunMeta(run.meta) : null;
  const imported = meta === null ? parsedObject(run.meta) : {};
  let checkpoint: string | null = null;
  if (meta?.settings.engine === 'builtin') checkpoint = meta.settings.model;
  // An imported run says what answered in its own terms: eval_bench's meta.model_path, a score file's metadata.checkpoint.
  else if (run.kind === 'evaluation' && typeof imported['model_path'] === 'string') checkpoint = imported['model_path'];
  else if (run.kind === 'scores' && typeof imported['checkpoint'] === 'string' && imported['checkpoint'] !== '') checkpoint = imported['checkpoint'];
  return {
    runId: run.id,
    kind,
    model: run.model,
    settings: meta?.settings ?? null,
    snapshotHash: meta?.snapshotHash ?? null,
    filter: meta?.filter ?? null,
    trainJob: meta?.trainJobId !== undefined ? trainJobOf(db, projectPath, meta.trainJobId) : null,
    checkpoint,
    source: sourcePathOfRun(db, run.id),
    createdAt: run.created_at,
  };
}
