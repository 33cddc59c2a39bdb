// `frustum validate FILE... [--json]`: dataset files are read, normalized and their chains
// linted without importing. A project file among them (told by its SQLite header, whatever its
// name) has its current chains linted and checked against its clips' stored analyzer readings
// (common/motion/chainCheck.ts): a contradiction is an error, like a broken record.
import { resolve } from 'node:path';
import { isPrimitive, primitiveFromQuestion } from '../../../common/camerabench/primitives';
import { damagedProjectError, InputError, ProjectError, type InputProblem } from '../../../common/errors';
import { parseStringArray } from '../../../common/formats/jsonText';
import { normalizeItems, type NormalizedItem } from '../../../common/formats/benchmarks';
import { lengthNorms } from '../../../common/metrics/percentiles';
import { lintChain, type LintIssue } from '../../../common/ota/lint';
import { fileNaming } from '../../../backend/formats/importFiles';
import { readInputFile, type FormatChoice } from '../../../backend/formats/readInput';
import { checkStoredChains } from '../../../db/analysis';
import { hasSqliteHeader, openProject } from '../../../db/connection';
import { currentChains } from '../../../db/stats';
import { EXIT } from '../failure';
import { printJson, printLines } from '../output';
import { startProgress } from '../progress';

interface Options {
  format: FormatChoice;
  limit: string;
  json?: boolean;
}

export interface Finding {
  file: string;
  /** Dataset files: 0-based record index. Projects: the sample id (none for a clip's problem). */
  record?: number;
  /** Dataset files only. */
  line?: number;
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Projects only: the sample's clip, and for contradictions where in the chain and what kind. */
  clip?: string;
  section?: string;
  start?: number;
  end?: number;
  kind?: string;
}

interface ProjectSummary {
  file: string;
  format: 'project';
  records: number;
  chains: { checked: number; withoutReading: number; unreliableReading: number };
}

/** Lints a project's current chains and checks them against its stored readings. */
function validateProject(file: string, findings: Finding[]): ProjectSummary {
  const db = openProject(file, { readonly: true });
  try {
    const chains = currentChains(db);
    const norms = lengthNorms(chains.map((chain) => chain.text.length));
    for (const chain of chains) {
      const options = parseStringArray(chain.options);
      if (options === null) {
        findings.push({ file, record: chain.sample_id, code: 'invalid-record', severity: 'error', message: 'the sample\'s options are not a JSON array of strings' });
        continue;
      }
      const issues = lintChain(chain.text, {
        options,
        ...(chain.primitive !== null && isPrimitive(chain.primitive) ? { primitive: chain.primitive } : {}),
        ...(norms ? { norms } : {}),
      });
      for (const issue of issues) findings.push({ file, record: chain.sample_id, code: issue.code, severity: issue.severity, message: issue.message });
    }
    const report = checkStoredChains(db);
    for (const row of report.unreadable) {
      findings.push({ file, clip: row.clipName, code: 'unreadable-analysis', severity: 'error', message: `the stored analysis ${row.id} of clip ${row.clipId} cannot be read (${row.reason}); run \`frustum analyze --force\`` });
    }
    for (const sample of report.samples) {
      for (const found of sample.contradictions) {
        findings.push({
          file, record: sample.sampleId, code: 'contradicts-analysis', severity: 'error', message: `${found.section}: ${found.message}`,
          clip: sample.clipName, section: found.section, start: found.start, end: found.end, kind: found.kind,
        });
      }
    }
    return {
      file, format: 'project', records: chains.length,
      chains: { checked: report.checked, withoutReading: report.withoutReading, unreliableReading: report.unreliableReading },
    };
  } finally {
    db.close();
  }
}

export async function run(files: string[], options: Options): Promise<void> {
  const progress = await startProgress('validating', options.json === true);
  const findings: Finding[] = [];
  const summaries: Array<{ file: string; format: string; records: number } | ProjectSummary> = [];
  const unreadable: InputProblem[] = [];
  for (const file of files) {
    if (hasSqliteHeader(file)) {
      try {
        summaries.push(validateProject(file, findings));
      } catch (thrown) {
        // A damaged page surfaces at the first query that reads it: that file is unreadable, the others are still checked.
        const error = damagedProjectError(thrown, file) ?? thrown;
        if (!(error instanceof ProjectError)) throw error;
        unreadable.push({ file, reason: error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message });
      }
      continue;
    }
    let input;
    try {
      input = readInputFile(file, options.format);
    } catch (error) {
      if (error instanceof InputError) {
        unreadable.push(...error.problems);
        continue;
      }
      throw error;
    }
    summaries.push({ file, format: input.format, records: input.records.length });
    const normalized: Array<{ index: number; line: number; record: NormalizedItem }> = [];
    const keys = new Map<string, { index: number; item: string | null }>();
    const naming = fileNaming(resolve(file));
    input.records.forEach((entry, index) => {
      const result = normalizeItems(input.format, entry.value, { ...naming, recordIndex: index });
      if (!result.ok) {
        const where = result.field ? `field "${result.field}": ` : '';
        findings.push({ file, record: index, line: entry.line, code: 'invalid-record', severity: 'error', message: where + result.reason });
        return;
      }
      for (const record of result.items) {
        // As the import: one question may be several benchmark items, but not the same item twice.
        const item = record.benchmark === null ? null : `${record.benchmark.benchmark}\u001f${record.benchmark.itemKey}`;
        const earlier = keys.get(record.sample.key);
        if (earlier !== undefined && (earlier.item === null || item === null || earlier.item === item)) {
          findings.push({ file, record: index, line: entry.line, code: 'duplicate', severity: 'error', message: `same clip and question as record ${earlier.index}` });
        } else if (earlier === undefined) keys.set(record.sample.key, { index, item });
        normalized.push({ index, line: entry.line, record });
      }
    });
    const texts = (record: NormalizedItem) => [record.sample.chain, record.prediction?.output ?? null].filter((t): t is string => t !== null);
    const norms = lengthNorms(normalized.flatMap(({ record }) => texts(record).map((text) => text.length)));
    for (const [position, { index, line, record }] of normalized.entries()) {
      if (position % 500 === 0) progress.update(position, normalized.length);
      const primitive = record.sample.primitive ?? primitiveFromQuestion(record.sample.question);
      for (const text of texts(record)) {
        const issues: LintIssue[] = lintChain(text, {
          options: record.sample.options,
          ...(primitive ? { primitive } : {}),
          ...(norms ? { norms } : {}),
        });
        for (const issue of issues) findings.push({ file, record: index, line, code: issue.code, severity: issue.severity, message: issue.message });
      }
    }
  }
  progress.stop();
  if (unreadable.length > 0 && summaries.length === 0) throw new InputError(unreadable);

  const counts: Record<string, number> = {};
  for (const finding of findings) counts[finding.code] = (counts[finding.code] ?? 0) + 1;
  const errors = findings.filter((finding) => finding.severity === 'error').length + unreadable.length;
  if (options.json) {
    printJson({ ok: errors === 0, files: summaries, unreadable, errors, counts, findings });
  } else {
    const limit = Number(options.limit) || 50;
    const lines = summaries.map((s) => ('chains' in s
      ? `${s.file}: project, ${s.records} chains; ${s.chains.checked} checked against the analyzer's readings (${s.chains.withoutReading} without a reading${s.chains.unreliableReading > 0 ? `, ${s.chains.unreliableReading} with too few tracks to check` : ''})`
      : `${s.file}: ${s.format}, ${s.records} records`));
    lines.push(...unreadable.map((problem) => `error: ${problem.file}: ${problem.reason}`));
    for (const finding of findings.slice(0, limit)) {
      const where = finding.line !== undefined
        ? `record ${finding.record} (line ${finding.line})`
        : finding.record === undefined ? `clip ${finding.clip}` : `sample ${finding.record}${finding.clip === undefined ? '' : ` (clip ${finding.clip})`}`;
      lines.push(`${finding.severity}: ${finding.file}, ${where}: ${finding.message} [${finding.code}]`);
    }
    if (findings.length > limit) lines.push(`… ${findings.length - limit} more (use --limit or --json)`);
    const summary = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    lines.push(errors === 0 ? `ok: no errors${summary ? ` (${summary})` : ''}` : `${errors} error(s): ${summary}`);
    printLines(lines);
  }
  process.exitCode = errors > 0 ? EXIT.findings : EXIT.ok;
}
