// CamReasoner's training rewards for one response, ported exactly:
//   - camReasonerReward: EasyR1/verl/reward_function/onethinker_reward.py compute_score for one
//     item (multiple choice: accuracy_reward forces problem_type to "multiple choice");
//   - r1vReward: EasyR1/verl/reward_function/r1v.py compute_score (think/answer variant).
// Weighted sums use the reference's float operations in the reference's order.

import { PY_DOT, PY_SPACE, pyStrip } from '../python';
import { gradeAnswer } from './grade';
import { extractAnswerTag, normalizeTagWhitespace } from './parse';

export interface RewardScores {
  overall: number;
  format: number;
  accuracy: number;
}

export interface RewardOptions {
  formatWeight?: number;
}

// onethinker_reward.OBSERVATION_THINK_ANSWER_PATTERN, used with fullmatch (\A … \Z, DOTALL).
const observationThinkAnswer = new RegExp(
  `^${PY_SPACE}*<observation>[\\s\\S]*?</observation>${PY_SPACE}*<think>[\\s\\S]*?</think>` +
    `${PY_SPACE}*<answer>[\\s\\S]*?</answer>${PY_SPACE}*$`,
);

/** onethinker tag_format_reward on the whitespace-normalised response: 1 or 0. */
export function formatReward(response: string): number {
  return observationThinkAnswer.test(normalizeTagWhitespace(response)) ? 1.0 : 0.0;
}

/** onethinker accuracy_reward for "multiple choice" (response already normalised). */
function camReasonerAccuracy(response: string, groundTruth: string): number {
  // `extract_answer(response) or response.strip()`: an empty tag ("") falls back too.
  const answer = extractAnswerTag(response) || pyStrip(response);
  return gradeAnswer(pyStrip(answer), pyStrip(groundTruth)) ? 1.0 : 0.0;
}

/**
 * onethinker_reward.compute_score for one item. The ground truth may be wrapped in
 * `<answer>…</answer>` (`extract_answer(raw_gt) or raw_gt`; not whitespace-normalised).
 */
export function camReasonerReward(response: string, groundTruth: string, options: RewardOptions = {}): RewardScores {
  const formatWeight = options.formatWeight ?? 0.1;
  const normalized = normalizeTagWhitespace(response);
  const extractedGroundTruth = extractAnswerTag(groundTruth) || groundTruth;
  const format = observationThinkAnswer.test(normalized) ? 1.0 : 0.0;
  const accuracy = camReasonerAccuracy(normalized, extractedGroundTruth);
  return { overall: (1.0 - formatWeight) * accuracy + formatWeight * format, format, accuracy };
}

// r1v.format_reward: re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", re.DOTALL).
const thinkAnswer = new RegExp(`^<think>[\\s\\S]*?</think>${PY_SPACE}*<answer>[\\s\\S]*?</answer>$`);
// r1v.accuracy_reward: re.search(r"<answer>(.*?)</answer>") — no DOTALL, no \s trimming.
const r1vAnswer = new RegExp(`<answer>(${PY_DOT}*?)</answer>`, 'u');

function r1vAccuracy(response: string, groundTruth: string): number {
  const match = r1vAnswer.exec(response);
  const given = match ? pyStrip(match[1] ?? '') : pyStrip(response);
  return gradeAnswer(given, pyStrip(groundTruth)) ? 1.0 : 0.0;
}

/** r1v.compute_score: the ground truth is used as given (not extracted from a tag). */
export function r1vReward(response: string, groundTruth: string, options: RewardOptions = {}): RewardScores {
  const formatWeight = options.formatWeight ?? 0.5;
  const format = thinkAnswer.test(response) ? 1.0 : 0.0;
  const accuracy = r1vAccuracy(response, groundTruth);
  return { overall: (1 - formatWeight) * accuracy + formatWeight * format, format, accuracy };
}
