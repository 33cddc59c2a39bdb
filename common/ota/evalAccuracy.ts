// CamReasoner's evaluator (Inference/infer/eval_bench.py) for multiple-choice questions, ported
// exactly. Unlike the reward, it does not normalise tag whitespace and compares first letters.

import { firstCodePoint, pyStrip, pyUpper } from '../python';
import { extractAnswerForEval } from './parse';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The `prediction` field eval_bench writes: its extract_answer(output). */
export function predictionOf(output: string): string {
  return extractAnswerForEval(output);
}

/** `(s.strip()[:1] if s else "").upper()`; upper() may lengthen it ("ß" → "SS"). */
function firstLetter(text: string): string {
  return pyUpper(firstCodePoint(pyStrip(text)));
}

/**
 * eval_bench.accuracy_only(output, solution, data_type, "multiple choice")[0]: 1 when the first
 * character of both extracted answers, upper-cased, is equal and `in "ABC…Z"`. That is Python's
 * substring test, so "" (both empty) and "ST" (from "ﬆ") also count, as in the reference.
 */
export function multipleChoiceAccuracy(output: string, solution: string): 0 | 1 {
  // `extract_answer(response) or response.strip()`: only differs for an empty answer tag.
  const answer = extractAnswerForEval(output) || pyStrip(output);
  const groundTruth = extractAnswerForEval(solution) || solution;
  const answerLetter = firstLetter(answer);
  return answerLetter === firstLetter(groundTruth) && LETTERS.includes(answerLetter) ? 1 : 0;
}
