// What every export shares: choosing the run a run-based export writes, writing a file so that
// a crash never leaves half of it, and the folder an export of several files writes into.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../../common/errors';
import type { ReadableDB } from '../../db/connection';
import { getRun, listRuns, type RunRow } from '../../db/runs';

/** `--run N`, else the newest run. */
export function chosenRun(db: ReadableDB, id: number | undefined): RunRow {
  if (id !== undefined) {
    const run = getRun(db, id);
    if (run) return run;
  } else {
    const newest = listRuns(db).at(-1);
    if (newest) return newest;
  }
  throw new UsageError(
    id === undefined
      ? 'this project has no evaluation runs yet; import a results or score file first'
      : `no run ${id}; runs: ${listRuns(db).map((r) => r.id).join(', ') || 'none'}`,
  );
}

/** Write to a temporary file and rename, so a crash never leaves half a dataset behind. */
export function writeAtomically(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${path} is a directory; give a file path to --out`);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** `--out` of an export that writes a folder of files: refused when it is a file. */
export function checkOutFolder(outDir: string, format: string, what: string): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new UsageError(`${outDir} is a file; ${format} writes a folder of ${what}`);
}

/** The run's model as a file-name part, as the evaluators' writers clean it: "/", "\" and ":" → "_". */
export function modelFilePart(model: string): string {
  return model.replace(/[/\\:]/g, '_');
}
