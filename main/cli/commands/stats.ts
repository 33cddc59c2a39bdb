import { isPrimitive } from '../../../common/camerabench/primitives';
import { lengthNorms, percentile } from '../../../common/metrics/percentiles';
import { CONTRADICTION_KINDS, countByKind } from '../../../common/motion/chainCheck';
import { lintChain } from '../../../common/ota/lint';
import { checkStoredChains } from '../../../db/analysis';
import { openProject } from '../../../db/connection';
import { clipsInSeveralSplits, currentChains, projectCounts, type Counts } from '../../../db/stats';
import { printJson, printLines, table } from '../output';
import { startProgress } from '../progress';

export async function run(project: string, options: { json?: boolean }): Promise<void> {
  const db = openProject(project, { readonly: true });
  try {
    const counts = projectCounts(db);
    const chains = currentChains(db);
    const lengths = chains.map((chain) => chain.text.length).sort((a, b) => a - b);
    const lengthPercentiles = lengths.length
      ? Object.fromEntries([5, 25, 50, 75, 95].map((q) => [`p${String(q).padStart(2, '0')}`, Math.round(percentile(lengths, q))]))
      : {};
    const norms = lengthNorms(lengths);
    const lint: Counts = {};
    const progress = await startProgress('linting chains', options.json === true);
    chains.forEach((chain, index) => {
      const issues = lintChain(chain.text, {
        options: JSON.parse(chain.options) as string[],
        ...(chain.primitive !== null && isPrimitive(chain.primitive) ? { primitive: chain.primitive } : {}),
        ...(norms ? { norms } : {}),
      });
      for (const code of new Set(issues.map((issue) => issue.code))) lint[code] = (lint[code] ?? 0) + 1;
      if (index % 1000 === 0) progress.update(index, chains.length);
    });
    progress.stop();
    // Current chains against their clips' stored analyzer readings (common/motion/chainCheck.ts).
    const check = checkStoredChains(db);
    const found = check.samples.flatMap((sample) => sample.contradictions);
    const contradictions = {
      /** Chains with at least one contradiction. */
      chains: check.samples.length,
      total: found.length,
      byKind: countByKind(found),
      checked: check.checked,
      withoutReading: check.withoutReading,
      unreliableReading: check.unreliableReading,
      unreadableReadings: check.unreadable.length,
    };
    const leaks = clipsInSeveralSplits(db);
    const hygiene = hygieneWarnings(counts.samples.byAnswer, leaks.length);
    const result = {
      clips: counts.clips,
      samples: counts.samples,
      labels: counts.labels,
      runs: counts.runs,
      sources: counts.sources,
      chainLength: { unit: 'characters', count: lengths.length, ...lengthPercentiles },
      lint,
      contradictions,
      hygiene,
      clipsInSeveralSplits: leaks.slice(0, 50),
    };
    if (options.json) {
      printJson(result);
      return;
    }
    const section = (title: string, values: Counts) => [title, ...(Object.keys(values).length ? table(Object.entries(values)) : ['  none'])];
    printLines([
      `${project}`,
      ...table([
        ['clips', `${counts.clips.total} (${Object.entries(counts.clips.byStatus).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`],
        ['clips analyzed', counts.clips.analyzed],
        ['samples', counts.samples.total],
        ['samples with a chain', counts.samples.withChain],
        ['primitive labels', `${counts.labels.total} (${counts.labels.yes} yes)`],
        ['runs', counts.runs],
      ]),
      ...section('by kind', counts.samples.byKind),
      ...section('by status', counts.samples.byStatus),
      ...section('by split', counts.samples.bySplit),
      ...section('by primitive', counts.samples.byPrimitive),
      ...section('by answer letter', counts.samples.byAnswer),
      'chain length (characters)',
      ...table(Object.entries(lengthPercentiles)),
      ...section('lint (chains with each issue)', lint),
      `contradictions with the analyzer: ${contradictions.chains} chain(s), ${contradictions.total} claim(s) (${contradictions.checked} chains checked, ${contradictions.withoutReading} without a reading${contradictions.unreliableReading > 0 ? `, ${contradictions.unreliableReading} with too few tracks` : ''})`,
      ...(contradictions.total > 0 ? table(CONTRADICTION_KINDS.filter((kind) => contradictions.byKind[kind] > 0).map((kind) => [kind, contradictions.byKind[kind]])) : []),
      ...(contradictions.unreadableReadings > 0 ? [`  ! ${contradictions.unreadableReadings} stored reading(s) cannot be read; run frustum validate ${project}`] : []),
      ...(hygiene.length ? ['hygiene', ...hygiene.map((warning) => `  ! ${warning}`)] : []),
    ]);
  } finally {
    db.close();
  }
}

function hygieneWarnings(byAnswer: Counts, leakCount: number): string[] {
  const warnings: string[] = [];
  const letters = Object.entries(byAnswer).filter(([letter]) => /^[A-Z]$/.test(letter));
  const total = letters.reduce((sum, [, n]) => sum + n, 0);
  const [top] = [...letters].sort((a, b) => b[1] - a[1]);
  if (top && letters.length > 1 && total >= 20 && top[1] / total > 0.75) {
    warnings.push(`answer-letter imbalance: ${top[0]} is the answer of ${((top[1] / total) * 100).toFixed(1)}% of samples`);
  }
  if (leakCount > 0) warnings.push(`${leakCount} clip(s) have samples in more than one split (train/test leak)`);
  return warnings;
}
