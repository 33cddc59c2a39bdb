// stats.get: the Stats screen, from the same facts `frustum stats` prints (backend/facts).
import { projectFacts } from '../../facts/projectFacts';
import type { Handlers, StudioContext } from '../context';

export function statsHandlers(context: StudioContext): Handlers<'stats.get'> {
  return {
    'stats.get': () => {
      // Relints what is cheap now (a big backlog relints in the background and a
      // samples.changed event asks the screen to refetch); stale rows count as last linted.
      context.lint.band();
      const facts = projectFacts(context.db, 'as-cached');
      const clips = facts.counts.clips;
      const samples = facts.counts.samples;
      return {
        clips: { total: clips.total, ok: clips.byStatus['ok'] ?? 0, missing: clips.byStatus['missing'] ?? 0, error: clips.byStatus['error'] ?? 0 },
        samples: samples.total,
        byKind: samples.byKind,
        byStatus: samples.byStatus,
        bySplit: samples.bySplit,
        byPrimitive: samples.byPrimitive,
        byAnswer: samples.byAnswer,
        bySource: facts.bySource,
        chainLength: facts.chainWords,
        chainLengthHistogram: facts.chainWordHistogram,
        lint: facts.lint,
        samplesWithLint: facts.samplesWithLint,
        contradictions: facts.contradictions,
        warnings: facts.warnings,
      };
    },
  };
}
