// The entry point of the import worker thread (dist/workers/import.cjs, see ./importInWorker):
// `importFiles` on a connection of its own, progress and the outcome posted back.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../../common/errors';
import { openProject } from '../../db/connection';
import { importFiles } from './importFiles';
import type { ImportJob, ImportWorkerMessage } from './importInWorker';

const port = parentPort;
if (port === null) throw new Error('importWorker runs as a worker thread');
const post = (message: ImportWorkerMessage) => port.postMessage(message);
const job = workerData as ImportJob;
try {
  const db = openProject(job.projectPath);
  try {
    const report = importFiles(db, job.paths, { ...job.options, onProgress: (done, total) => post({ kind: 'progress', done, total }) });
    post({ kind: 'done', report });
  } finally {
    db.close();
  }
} catch (error) {
  post(error instanceof InputError
    ? { kind: 'input-error', problems: [...error.problems], message: error.message }
    : { kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
