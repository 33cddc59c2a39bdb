// `frustum audit` and the studio's stats.audit: the project's samples read from db/ and handed
// to the runtime-free audit (common/audit), grouped as the project whole, per imported file and
// per benchmark and its splits (a primitive, a VQA skill, a ShotBench category).
import { basename } from 'node:path';
import { auditSamples, type AuditGroupInput, type AuditReport, type SplitBy } from '../../common/audit/audit';
import type { AuditSample } from '../../common/audit/text';
import { auditBenchmarks, auditRows, auditSources } from '../../db/audit';
import type { ReadableDB } from '../../db/connection';

function optionsOf(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.map((option) => String(option)) : [];
  } catch {
    return [];
  }
}

export function auditProject(db: ReadableDB, options: { splitBy?: SplitBy } = {}): AuditReport {
  const samples: AuditSample[] = auditRows(db).map((row) => ({
    id: row.id,
    question: row.question,
    options: optionsOf(row.options),
    answer: row.answer,
    clip: row.clip ?? '',
    split: row.split,
    primitive: row.primitive,
  }));
  // One group per distinct set of samples: files that hold the same samples (an SFT file, its
  // RL twin and the evaluation questions of one demo), or a file and the benchmark it is, would
  // repeat each other word for word, and a file holding every sample would repeat the project's.
  const everyId = samples.map((sample) => sample.id).join(',');
  const bySet = new Map<string, { names: string[]; sampleIds: number[]; key: string }>();
  const add = (key: string, name: string, sampleIds: number[]) => {
    const signature = sampleIds.join(',');
    const entry = bySet.get(signature) ?? { names: [], sampleIds, key };
    if (!entry.names.includes(name)) entry.names.push(name);
    bySet.set(signature, entry);
  };
  for (const source of auditSources(db)) add(`source:${source.id}`, basename(source.path), source.sampleIds);
  const benchmarks = new Map<string, Array<{ split: string; sampleIds: number[] }>>();
  for (const split of auditBenchmarks(db)) benchmarks.set(split.benchmark, [...(benchmarks.get(split.benchmark) ?? []), split]);
  for (const [benchmark, splits] of benchmarks) {
    add(`benchmark:${benchmark}`, `benchmark ${benchmark}`, [...new Set(splits.flatMap((split) => split.sampleIds))].sort((a, b) => a - b));
    if (splits.length < 2) continue;
    for (const split of splits) add(`benchmark:${benchmark}:${split.split}`, `${benchmark} · ${split.split}`, split.sampleIds);
  }
  const whole = bySet.get(everyId);
  const groups: AuditGroupInput[] = [{ key: 'project', label: whole ? `all samples (${whole.names.join(', ')})` : 'all samples', sampleIds: samples.map((sample) => sample.id) }];
  for (const [signature, entry] of bySet) {
    if (signature === everyId) continue;
    groups.push({ key: entry.key, label: entry.names.join(', '), sampleIds: entry.sampleIds });
  }
  return auditSamples(samples, { splitBy: options.splitBy, groups });
}
