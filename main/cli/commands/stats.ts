// `frustum stats`: the project's facts (backend/facts/projectFacts.ts, the same numbers the
// studio's Stats screen shows), plus the per-kind breakdown of contradictions only the CLI prints.
import { CONTRADICTION_KINDS, countByKind } from '../../../common/motion/chainCheck';
import { checkStoredChains } from '../../../db/analysis';
import { openProject } from '../../../db/connection';
import type { Counts } from '../../../db/stats';
import { projectFacts } from '../../../backend/facts/projectFacts';
import { printJson, printLines, table } from '../output';
import { startProgress } from '../progress';

export async function run(project: string, options: { json?: boolean }): Promise<void> {
  const db = openProject(project, { readonly: true });
  try {
    const progress = await startProgress('linting chains', options.json === true);
    const facts = projectFacts(db, 'compute');
    progress.stop();
    const counts = facts.counts;
    // Which kinds of claim contradict the readings; how many chains do is the shared fact.
    const check = checkStoredChains(db);
    const found = check.samples.flatMap((sample) => sample.contradictions);
    const contradictions = {
      /** Chains with at least one contradiction. */
      chains: facts.contradictions,
      total: found.length,
      byKind: countByKind(found),
      checked: check.checked,
      withoutReading: check.withoutReading,
      unreliableReading: check.unreliableReading,
      unreadableReadings: check.unreadable.length,
    };
    const { count: wordCount, ...wordPercentiles } = facts.chainWords;
    const { count: charCount, ...charPercentiles } = facts.chainCharacters;
    const result = {
      clips: counts.clips,
      samples: counts.samples,
      labels: counts.labels,
      runs: counts.runs,
      sources: counts.sources,
      bySource: facts.bySource,
      chainLength: { unit: 'words', count: wordCount, ...wordPercentiles },
      chainCharacters: { unit: 'characters', count: charCount, ...charPercentiles },
      lint: facts.lint,
      samplesWithLint: facts.samplesWithLint,
      contradictions,
      hygiene: facts.warnings.map((warning) => warning.message),
      warnings: facts.warnings,
      clipsInSeveralSplits: facts.clipsInSeveralSplits,
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
        ['samples with lint issues', facts.samplesWithLint],
        ['primitive labels', `${counts.labels.total} (${counts.labels.yes} yes)`],
        ['runs', counts.runs],
      ]),
      ...section('by kind', counts.samples.byKind),
      ...section('by status', counts.samples.byStatus),
      ...section('by split', counts.samples.bySplit),
      ...section('by primitive', counts.samples.byPrimitive),
      ...section('by answer letter', counts.samples.byAnswer),
      'chain length (words)',
      ...table(Object.entries(wordPercentiles)),
      ...section('lint (samples with each issue)', facts.lint),
      `contradictions with the analyzer: ${contradictions.chains} chain(s), ${contradictions.total} claim(s) (${contradictions.checked} chains checked, ${contradictions.withoutReading} without a reading${contradictions.unreliableReading > 0 ? `, ${contradictions.unreliableReading} with too few tracks` : ''})`,
      ...(contradictions.total > 0 ? table(CONTRADICTION_KINDS.filter((kind) => contradictions.byKind[kind] > 0).map((kind) => [kind, contradictions.byKind[kind]])) : []),
      ...(contradictions.unreadableReadings > 0 ? [`  ! ${contradictions.unreadableReadings} stored reading(s) cannot be read; run frustum validate ${project}`] : []),
      ...(facts.warnings.length ? ['hygiene', ...facts.warnings.map((warning) => `  ! ${warning.message}`)] : []),
    ]);
  } finally {
    db.close();
  }
}
