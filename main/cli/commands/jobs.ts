// `frustum jobs PROJECT`: the project's jobs, newest first, whoever started them (the studio,
// another window). Jobs whose process died unseen are settled first (backend/jobs/control.ts).
import { openProject } from '../../../db/connection';
import { listJobs } from '../../../db/jobs';
import { reconcileJobs } from '../../../backend/jobs/control';
import { toJob } from '../../../backend/jobs/supervisor';
import { printJson, printLines } from '../output';

function progressOf(job: ReturnType<typeof toJob>): string {
  if (job.state !== 'running') return '';
  return job.total > 0 ? `${Math.round((job.done / job.total) * 100)}%` : '…';
}

export function run(project: string, options: { json?: boolean; limit?: string }): void {
  const limit = options.limit === undefined ? 50 : Math.max(1, Math.min(1000, Number.parseInt(options.limit, 10) || 50));
  const db = openProject(project);
  try {
    reconcileJobs(db, project);
    const jobs = listJobs(db, limit).map(toJob);
    if (options.json) {
      printJson({ jobs });
      return;
    }
    if (jobs.length === 0) {
      printLines([`no jobs in ${project}`]);
      return;
    }
    const rows = jobs.map((job) => [
      String(job.id), job.state, progressOf(job), job.kind, job.title, (job.finishedAt ?? job.startedAt ?? job.createdAt).slice(0, 19).replace('T', ' '),
      job.state === 'failed' ? (job.error ?? '').split('\n')[0] ?? '' : job.message,
    ]);
    const headers = ['id', 'state', '', 'kind', 'title', 'when', 'message'];
    const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
    const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
    printLines([line(headers), ...rows.map(line)]);
  } finally {
    db.close();
  }
}
