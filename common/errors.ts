// Errors a person can act on. Every message names what (file, record) and why; the CLI prints
// them without a stack trace and maps them to exit codes scripts can trust (README: Exit codes).

/** Where in the input a problem was found. `record` is the 0-based index in the file. */
export interface InputLocation {
  file: string;
  record?: number;
  line?: number;
  field?: string;
}

export interface InputProblem extends InputLocation {
  reason: string;
}

export function describeProblem(problem: InputProblem): string {
  const where = [problem.file];
  if (problem.record !== undefined) where.push(`record ${problem.record}`);
  if (problem.line !== undefined) where.push(`line ${problem.line}`);
  if (problem.field !== undefined) where.push(`field "${problem.field}"`);
  return `${where.join(', ')}: ${problem.reason}`;
}

/** Bad input: one or more records or files that cannot be used. Nothing was changed. */
export class InputError extends Error {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[], summary?: string) {
    const first = problems[0];
    const head = summary ?? (first ? describeProblem(first) : 'invalid input');
    const more = problems.length > 1 && summary === undefined ? ` (and ${problems.length - 1} more problems)` : '';
    super(head + more);
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** The project file cannot be used as it is (not SQLite, from a newer version, out of sync…). */
export class ProjectError extends Error {
  readonly file: string;
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ProjectError';
    this.file = file;
  }
}

/**
 * Whether an error is SQLite's verdict on a file whose pages do not form a valid database
 * (better-sqlite3's SqliteError codes, extended ones included: SQLITE_CORRUPT_INDEX…). Damage is
 * the file's state, not a bug of ours, so it is reported as a ProjectError wherever it surfaces.
 */
export function isDamagedDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(?:CORRUPT|NOTADB)(?:_|$)/.test(code);
}

// The project file this process opened last. SQLite reports damage from whichever query first
// reads a bad page (a Library search, the middle of an import), long after the open and far from
// the handle, and its error does not name the file. db/connection.ts records every open here:
// this module is the one that every CLI bundle shares (scripts/build.mjs: dist/cli/errors.cjs),
// so the command that opened the file and the top level that reports the failure see one value.
let lastProjectFile: string | null = null;

export function noteProjectFile(file: string): void {
  lastProjectFile = file;
}

/** A word a POSIX shell reads back unchanged: the advice below is meant to be pasted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The damage SQLite reported, as a ProjectError naming the file (`file`, else the project this
 * process opened last) and how to check it; null for any other error.
 */
export function damagedProjectError(error: unknown, file?: string): ProjectError | null {
  if (!isDamagedDatabaseError(error)) return null;
  const path = file ?? lastProjectFile ?? 'the project file';
  const detail = error instanceof Error ? error.message : String(error);
  return new ProjectError(path, `is damaged (${detail}); check it with: sqlite3 ${shellWord(path)} 'PRAGMA integrity_check'`);
}

/** A request that makes no sense (unknown format name, conflicting flags). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Work that was stopped on request (Ctrl+C, `frustum cancel`, the studio's Jobs panel): neither bad input nor a bug. */
export class CancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CancelledError';
  }
}
