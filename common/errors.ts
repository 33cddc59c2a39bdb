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

/** A request that makes no sense (unknown format name, conflicting flags). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
