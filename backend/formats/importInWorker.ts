// An import on a worker thread, for hosts that must keep answering while it runs (the studio:
// a 100,000-record drop is seconds of parsing, checking and writing, during which the web
// server and the Electron main process would otherwise stop answering and progress would reach
// the page only at the end). The worker opens the project itself; SQLite's write-ahead log lets
// the host's connection keep reading meanwhile (a write of its own waits for the import, up to
// the connection's busy timeout). The CLI imports in process: it has nothing else to do.
import { Worker } from 'node:worker_threads';
import { InputError, type InputProblem } from '../../common/errors';
import { workerScript } from '../packageRoot';
import type { ImportOptions, ImportReport } from './importFiles';

export interface ImportJob {
  projectPath: string;
  paths: string[];
  options: Omit<ImportOptions, 'onProgress'>;
}

export type ImportWorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'input-error'; problems: InputProblem[]; message: string }
  | { kind: 'failed'; message: string };

/** `importFiles` on a worker thread: the same report, the same InputError (all or nothing). */
export function importFilesInWorker(job: ImportJob, onProgress?: (done: number, total: number) => void): Promise<ImportReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript('import'), { workerData: job });
    let outcome: ImportWorkerMessage | null = null;
    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.kind === 'progress') onProgress?.(message.done, message.total);
      else outcome = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      const settled = outcome as ImportWorkerMessage | null;
      if (settled?.kind === 'done') resolve(settled.report);
      else if (settled?.kind === 'input-error') reject(new InputError(settled.problems, settled.message));
      else if (settled?.kind === 'failed') reject(new Error(`the import failed: ${settled.message}`));
      else reject(new Error(`the import worker stopped (exit code ${code}) without a result`));
    });
  });
}
