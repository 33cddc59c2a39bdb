// training.environment: what the Train view shows before anyone launches a trainer. Probing
// starts Python (and imports verl, which imports torch): seconds, so an answer is kept a minute
// unless the person asks to look again (they just installed something).
import type { TrainingEnvironment } from '../../../common/api/contract';
import { detectTrainingEnvironment } from '../../engines/environment';
import type { Handlers } from '../context';

const KEEP_MS = 60_000;

export function enginesHandlers(): Handlers<'training.environment'> {
  let kept: { at: number; answer: Promise<TrainingEnvironment> } | null = null;
  return {
    'training.environment': (request) => {
      if (kept === null || request.refresh === true || Date.now() - kept.at > KEEP_MS) {
        const answer = detectTrainingEnvironment();
        kept = { at: Date.now(), answer };
        // A failed probe is not kept: the next ask tries again.
        answer.catch(() => {
          kept = null;
        });
      }
      return kept.answer;
    },
  };
}
