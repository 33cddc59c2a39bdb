// The entry point of a job's own process (bundled as dist/workers/job.cjs; spawned by
// ./supervisor.ts as `node job.cjs PROJECT JOB_ID`, detached, stdout and stderr going to the
// job's log file). The exit code says how it ended; the row says why.
import { runJob } from './runJob';

const [projectPath, jobIdText] = process.argv.slice(2);
const jobId = Number(jobIdText);
if (projectPath === undefined || !Number.isSafeInteger(jobId) || jobId <= 0) {
  process.stderr.write('usage: job.cjs PROJECT JOB_ID\n');
  process.exit(2);
}
runJob(projectPath, jobId).then(
  (outcome) => process.exit(outcome.state === 'succeeded' ? 0 : outcome.state === 'cancelled' ? 3 : 1),
  (error: unknown) => {
    // Could not even record the outcome (the project is gone or damaged): the log says why, and
    // the supervisor marks the job failed with this log's tail.
    process.stderr.write(`the job could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(70);
  },
);
