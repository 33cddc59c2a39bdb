// `frustum logs PROJECT JOB [-f]`: a job's log; with -f, what it writes next too, until it ends
// (Ctrl+C stops following, never the job).
import { openProject, type WritableDB } from '../../../db/connection';
import { readJobLog, reconcileJobs, requireJob } from '../../../backend/jobs/control';
import { parseJobId } from '../jobId';

const FOLLOW_POLL_MS = 250;
const CHUNK_BYTES = 1024 * 1024;

/** Writes everything from `offset` that is there now; returns where it stopped. */
function drain(db: WritableDB, project: string, jobId: number, offset: number): { offset: number; isFinal: boolean } {
  let at = offset;
  for (;;) {
    const row = requireJob(db, jobId, project);
    const chunk = readJobLog(row, project, at, CHUNK_BYTES);
    if (chunk.text !== '') process.stdout.write(chunk.text);
    const isFinal = row.state !== 'queued' && row.state !== 'running';
    if (chunk.offset === at || chunk.offset >= chunk.size) return { offset: chunk.offset, isFinal };
    at = chunk.offset;
  }
}

export async function run(project: string, job: string, options: { follow?: boolean }): Promise<void> {
  const jobId = parseJobId(job, project);
  const db = openProject(project);
  try {
    reconcileJobs(db, project);
    let state = drain(db, project, jobId, 0);
    if (!options.follow) return;
    let isStopped = false;
    const stop = () => {
      isStopped = true;
    };
    process.once('SIGINT', stop);
    while (!state.isFinal && !isStopped) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      reconcileJobs(db, project);
      state = drain(db, project, jobId, state.offset);
    }
    // What it wrote between the last look and its end.
    if (!isStopped) drain(db, project, jobId, state.offset);
    process.off('SIGINT', stop);
  } finally {
    db.close();
  }
}
