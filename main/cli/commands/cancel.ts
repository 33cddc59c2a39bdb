// `frustum cancel PROJECT JOB`: stops a job and its whole process tree (backend/jobs/control.ts).
import { InputError } from '../../../common/errors';
import { openProject } from '../../../db/connection';
import { cancelJob, reconcileJobs, requireJob } from '../../../backend/jobs/control';
import { toJob } from '../../../backend/jobs/supervisor';
import { printJson, printLines } from '../output';
import { parseJobId } from '../jobId';

export async function run(project: string, job: string, options: { json?: boolean }): Promise<void> {
  const jobId = parseJobId(job, project);
  const db = openProject(project);
  try {
    reconcileJobs(db, project);
    const before = requireJob(db, jobId, project);
    if (before.state !== 'queued' && before.state !== 'running') {
      throw new InputError([{ file: project, reason: `job ${jobId} already ${before.state}; nothing to cancel` }]);
    }
    const after = toJob(await cancelJob(db, project, jobId));
    if (options.json) printJson({ ok: true, job: after });
    else printLines([`job ${jobId} (${after.title}): ${after.state}`]);
  } finally {
    db.close();
  }
}
