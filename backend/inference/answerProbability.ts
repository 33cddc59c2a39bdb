// P(Yes) for average precision: the probability the model gave each option letter at the token
// right after `<answer>`, read from the streamed top_logprobs and renormalised over the options.
// Which letter means "Yes" is read from the option texts ("B. Yes"), never assumed.
import { letterOfOption, yesNoOfOption } from '../../common/camerabench/primitives';
import type { TokenLogprob } from './openaiClient';

const ANSWER_OPEN = '<answer>';
// The evaluator takes the answer's first character (eval_bench.py `ans.strip()[:1].upper()`);
// a candidate counts when that character is a letter ending a word: "B", " B", "B." — not "Both".
const LETTER_TOKEN = /^([A-Za-z])(?![A-Za-z])/;

/**
 * The renormalised probability of each option letter at the answer token, or null when the
 * tokens have no `<answer>` followed by content, or no alternative there is an option letter.
 */
export function answerOptionProbabilities(tokens: readonly TokenLogprob[] | null, options: readonly string[]): Map<string, number> | null {
  if (tokens === null) return null;
  const letters = new Set(options.map(letterOfOption).filter((letter): letter is string => letter !== null));
  const text = tokens.map((token) => token.token).join('');
  const tagStart = text.indexOf(ANSWER_OPEN);
  if (tagStart === -1 || letters.size === 0) return null;
  const tagEnd = tagStart + ANSWER_OPEN.length;

  // The answer token: the first whose part after the tag has more than whitespace. BPE may glue
  // the tag's ">" to the letter (">B"); that glued prefix is kept to match the alternatives against.
  let start = 0;
  for (const token of tokens) {
    const end = start + token.token.length;
    const prefix = token.token.slice(0, Math.max(0, tagEnd - start));
    const isAnswerToken = end > tagEnd && token.token.slice(prefix.length).trim() !== '';
    start = end;
    if (!isAnswerToken) continue;

    const candidates = new Map<string, number>(token.topLogprobs.map((top) => [top.token, top.logprob]));
    if (!candidates.has(token.token)) candidates.set(token.token, token.logprob);
    const mass = new Map<string, number>();
    for (const [candidate, logprob] of candidates) {
      if (!candidate.startsWith(prefix)) continue;
      const letter = LETTER_TOKEN.exec(candidate.slice(prefix.length).trim())?.[1]?.toUpperCase();
      if (letter === undefined || !letters.has(letter)) continue;
      mass.set(letter, (mass.get(letter) ?? 0) + Math.exp(logprob));
    }
    const total = [...mass.values()].reduce((sum, value) => sum + value, 0);
    if (total <= 0) return null;
    return new Map([...mass].map(([letter, value]) => [letter, value / total]));
  }
  return null;
}

/**
 * P(Yes) at the answer token, or null when it cannot be read (no logprobs, no answer token, no
 * "Yes" option). A "Yes" letter outside the top_logprobs while another option is inside gives 0:
 * its mass is below every listed alternative's.
 */
export function answerYesProbability(tokens: readonly TokenLogprob[] | null, options: readonly string[]): number | null {
  const yesOption = options.find((option) => yesNoOfOption(option) === 'yes');
  const yesLetter = yesOption === undefined ? null : letterOfOption(yesOption);
  if (yesLetter === null) return null;
  const probabilities = answerOptionProbabilities(tokens, options);
  return probabilities === null ? null : (probabilities.get(yesLetter) ?? 0);
}
