// Waiting for a job the page started (clip.analyze, jobs.start): its job.finished event, or its
// row if it ended before the page was listening (a quick job, a reconnect).
import type { ApiClient, Job } from './contract';

export type JobEnd = Pick<Job, 'state' | 'error'> & { jobId: number };

export function waitForJob(client: ApiClient, jobId: number): Promise<JobEnd> {
  return new Promise((resolve, reject) => {
    let isSettled = false;
    const settle = (end: JobEnd) => {
      if (isSettled) return;
      isSettled = true;
      off();
      resolve(end);
    };
    const off = client.on('job.finished', (event) => {
      if (event.jobId === jobId) settle({ jobId, state: event.state, error: event.error });
    });
    client.call('jobs.get', { id: jobId }).then(
      (job) => {
        if (job.state !== 'queued' && job.state !== 'running') settle({ jobId, state: job.state, error: job.error });
      },
      (error: unknown) => {
        if (isSettled) return;
        isSettled = true;
        off();
        reject(error);
      },
    );
  });
}
