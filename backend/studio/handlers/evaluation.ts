// evaluation.*: the Evaluate view's calls. The benchmarks the project holds, and a run scored as
// each of them with its lineage (backend/evaluation/report.ts, what `frustum eval` prints). No
// judge is asked from the studio: gen_match is "not computed" and RefineShot's consistency check
// is the rule-based one, each report says so (`frustum eval --judge-endpoint …` asks one).
import { ApiError } from '../../../common/api/contract';
import { getRun } from '../../../db/runs';
import { evaluateRun, projectBenchmarks } from '../../evaluation/report';
import type { Handlers, StudioContext } from '../context';

export function evaluationHandlers(context: StudioContext): Handlers<'evaluation.benchmarks' | 'evaluation.report'> {
  const { db, projectPath } = context;
  return {
    'evaluation.benchmarks': () => ({ benchmarks: projectBenchmarks(db) }),
    'evaluation.report': async ({ runId, benchmark }) => {
      const run = getRun(db, runId);
      if (!run) throw new ApiError('not-found', `no run ${runId} in this project`);
      return evaluateRun(db, projectPath, run, benchmark !== undefined ? { benchmark } : {});
    },
  };
}
