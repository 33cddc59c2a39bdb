// What a training job would write and run, for the Train view's preview and `frustum train
// --dry-run`: the same plan the job makes (./plan.ts), for the job id the next job would get,
// with the data files cut to their first records (a preview of 38k records would be megabytes).
import type { TrainPlan, TrainRequest } from '../../common/api/contract';
import type { WritableDB } from '../../db/connection';
import { statement } from '../../db/statements';
import { choosePython, hardwareFor } from './environment';
import { planRun } from './plan';
import { runFolderOf, runNameOf } from './runFolder';

const SHOWN_DATA_CHARS = 4000;

export async function previewTrainPlan(db: WritableDB, projectPath: string, request: TrainRequest, options: { python?: string } = {}): Promise<TrainPlan & { runFolder: string }> {
  const hardware = await hardwareFor(request);
  const jobId = nextJobId(db);
  const plan = planRun(db, {
    request,
    runFolder: runFolderOf(projectPath, jobId),
    runName: runNameOf(projectPath, jobId),
    python: choosePython(options.python, process.env).command,
    hardware,
  });
  const data = plan.snapshot.files.map((file) => ({
    path: file.path,
    text: file.text.length <= SHOWN_DATA_CHARS ? file.text : `${file.text.slice(0, SHOWN_DATA_CHARS)}\n… (${file.text.length.toLocaleString('en')} characters in all)\n`,
  }));
  return {
    engine: plan.engine,
    objective: plan.objective,
    model: plan.model,
    files: [...plan.files, ...data],
    command: plan.command,
    samples: plan.snapshot.sampleIds.length,
    snapshotHash: plan.snapshot.hash,
    notes: plan.notes,
    runFolder: plan.runFolder,
  };
}

/** The id SQLite gives the next job (INTEGER PRIMARY KEY without AUTOINCREMENT: max + 1). */
function nextJobId(db: WritableDB): number {
  return (statement<[], { id: number | null }>(db, 'SELECT max(id) AS id FROM jobs').get()?.id ?? 0) + 1;
}
