// What the rollout inspector computes from a GRPO step's groups: each response cut into pieces
// for highlighting (its O-T-A sections, their tags, and the claims that contradict the
// analyzer's reading of the clip), responses ordered by advantage, and a group's spread: a group
// whose responses all scored alike has zero advantage everywhere and teaches the policy nothing.
import type { Contradiction, RolloutGroup } from '../../common/api/contract';
import { parseChain, type ChainTagName } from '../../common/ota/parse';
import { outputPieces } from '../inspect/outputPieces';

export type RolloutResponse = RolloutGroup['responses'][number];

export interface TextPiece {
  start: number;
  end: number;
  /** The innermost O-T-A section around the piece, if any. */
  section: ChainTagName | null;
  /** Inside a tag (`<think>`), drawn muted. */
  isTag: boolean;
  contradiction: Contradiction | null;
}

/** The response text as consecutive pieces with one highlighting each; offsets are UTF-16 like the contract's (cut as Inspect cuts an output). */
export function responsePieces(text: string, contradictions: readonly Contradiction[]): TextPiece[] {
  return outputPieces(parseChain(text), contradictions, []).map(({ start, end, section, isTag, contradiction }) => ({
    start, end, section, isTag, contradiction: contradiction === null ? null : (contradictions[contradiction] as Contradiction),
  }));
}

/** Responses best first (highest advantage; ties by overall reward), each with its index as the engine listed it. */
export function byAdvantage(responses: readonly RolloutResponse[]): Array<{ response: RolloutResponse; index: number }> {
  return responses
    .map((response, index) => ({ response, index }))
    .sort((left, right) => right.response.advantage - left.response.advantage || right.response.overall - left.response.overall || left.index - right.index);
}

export interface GroupSummary {
  meanOverall: number;
  /** Population standard deviation of the overall reward (GRPO normalises by the group's). */
  spread: number;
  /** Share of responses with accuracy reward > 0. */
  accuracy: number;
  /** Every response scored the same: the group contributes no gradient. */
  isFlat: boolean;
  contradictions: number;
}

export function summarizeGroup(group: RolloutGroup): GroupSummary {
  const count = group.responses.length;
  if (count === 0) return { meanOverall: 0, spread: 0, accuracy: 0, isFlat: true, contradictions: 0 };
  const mean = group.responses.reduce((sum, response) => sum + response.overall, 0) / count;
  const variance = group.responses.reduce((sum, response) => sum + (response.overall - mean) ** 2, 0) / count;
  return {
    meanOverall: mean,
    spread: Math.sqrt(variance),
    accuracy: group.responses.filter((response) => response.accuracy > 0).length / count,
    isFlat: variance < 1e-12,
    contradictions: group.responses.reduce((sum, response) => sum + response.contradictions.length, 0),
  };
}

/** −1…1 for colouring an advantage against the largest in the step (0 when every one is 0). */
export function advantageTone(advantage: number, largest: number): number {
  if (!Number.isFinite(advantage) || largest <= 0) return 0;
  return Math.max(-1, Math.min(1, advantage / largest));
}

/** The step of `steps` nearest to `wanted` (the earlier on a tie); null when there is none. */
export function nearestStep(steps: readonly number[], wanted: number): number | null {
  let best: number | null = null;
  for (const step of steps) {
    if (best === null || Math.abs(step - wanted) < Math.abs(best - wanted) || (Math.abs(step - wanted) === Math.abs(best - wanted) && step < best)) best = step;
  }
  return best;
}
