import { primitiveFromQuestion } from '../../../common/camerabench/primitives';
import { InputError, type InputProblem } from '../../../common/errors';
import { normalizeRecord, type NormalizedRecord } from '../../../common/formats/normalize';
import { lengthNorms } from '../../../common/metrics/percentiles';
import { lintChain, type LintIssue } from '../../../common/ota/lint';
import { readInputFile, type FormatChoice } from '../../../backend/formats/readInput';
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
  record: number;
  line: number;
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export async function run(files: string[], options: Options): Promise<void> {
  const progress = await startProgress('validating', options.json === true);
  const findings: Finding[] = [];
  const summaries: Array<{ file: string; format: string; records: number }> = [];
  const unreadable: InputProblem[] = [];
  for (const file of files) {
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
    const normalized: Array<{ index: number; line: number; record: NormalizedRecord }> = [];
    const keys = new Map<string, number>();
    input.records.forEach((entry, index) => {
      const result = normalizeRecord(input.format, entry.value);
      if (!result.ok) {
        const where = result.field ? `field "${result.field}": ` : '';
        findings.push({ file, record: index, line: entry.line, code: 'invalid-record', severity: 'error', message: where + result.reason });
        return;
      }
      const earlier = keys.get(result.record.sample.key);
      if (earlier !== undefined) {
        findings.push({ file, record: index, line: entry.line, code: 'duplicate', severity: 'error', message: `same clip and question as record ${earlier}` });
      } else keys.set(result.record.sample.key, index);
      normalized.push({ index, line: entry.line, record: result.record });
    });
    const texts = (record: NormalizedRecord) => [record.sample.chain, record.prediction?.output ?? null].filter((t): t is string => t !== null);
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
    const lines = summaries.map((s) => `${s.file}: ${s.format}, ${s.records} records`);
    lines.push(...unreadable.map((problem) => `error: ${problem.file}: ${problem.reason}`));
    for (const finding of findings.slice(0, limit)) {
      lines.push(`${finding.severity}: ${finding.file}, record ${finding.record} (line ${finding.line}): ${finding.message} [${finding.code}]`);
    }
    if (findings.length > limit) lines.push(`… ${findings.length - limit} more (use --limit or --json)`);
    const summary = Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    lines.push(errors === 0 ? `ok: no errors${summary ? ` (${summary})` : ''}` : `${errors} error(s): ${summary}`);
    printLines(lines);
  }
  process.exitCode = errors > 0 ? EXIT.findings : EXIT.ok;
}
