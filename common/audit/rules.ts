// The simple shortcuts: each one a key of what a sample shows without its video (the letter
// alone, the question's wording, the option list, the clip's name…), answered with the letter
// most common under that key on the data it was fitted on. Every rule is fitted, so every
// rule is scored on held-out samples only (./audit.ts draws the folds).
import type { PreparedSample } from './text';

export const RULE_IDS = [
  'majority-letter',
  'answer-position',
  'question',
  'question-options',
  'option-order',
  'answer-text',
  'question-length',
  'clip-name',
  'clip-stem',
  'option-in-name',
  'longest-option',
  'negated-option',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Rule {
  id: RuleId;
  /** A few words, for tables and verdicts. */
  name: string;
  title: string;
  /** What a rule that works says about the data: the verdict's reason. */
  reason: string;
  /**
   * A rule whose key only adds to others' (the question with its options adds the question to
   * the option list) must beat each of them too, or the credit is theirs.
   */
  extends?: readonly RuleId[];
  /** Null: the rule has nothing to say about this sample (it gets the most common letter). */
  key(sample: PreparedSample): string | null;
  /**
   * Instead of a letter per sample key, a rate per option key: the option whose key was the
   * answer most often (of the times it was offered) when fitting is the rule's answer.
   */
  optionKey?: (sample: PreparedSample, option: number) => string;
}

const SEPARATOR = '\u001f';
const position = (index: number) => (index < 0 ? null : `option ${String.fromCharCode(65 + index)}`);

export const RULES: readonly Rule[] = [
  {
    id: 'majority-letter',
    name: 'majority letter',
    title: 'always the most common letter',
    reason: 'the answer letters are unbalanced',
    key: () => '',
  },
  {
    id: 'answer-position',
    name: 'answer position',
    title: 'most common letter for the number of options',
    reason: 'one answer position is favoured',
    key: (sample) => `${sample.letters.length} options`,
  },
  {
    id: 'question',
    name: 'question wording',
    title: 'most common letter per question wording',
    reason: "the question's wording carries the answer",
    key: (sample) => sample.question,
  },
  {
    id: 'question-options',
    name: 'question + options',
    title: 'most common letter per question with its options',
    reason: 'the question with its options carries the answer',
    extends: ['question', 'option-order'],
    key: (sample) => [sample.question, ...sample.texts].join(SEPARATOR),
  },
  {
    id: 'option-order',
    name: 'option order',
    title: 'most common letter per option list (texts in order)',
    reason: 'the order of the options carries the answer',
    key: (sample) => sample.texts.join(SEPARATOR),
  },
  {
    id: 'answer-text',
    name: 'answer text',
    title: 'the option whose text is most often the answer where offered',
    reason: 'some options are the answer far more often than others, whatever the video',
    key: () => null,
    optionKey: (sample, option) => sample.texts[option]!.toLowerCase().replace(/\s+/g, ' ').trim(),
  },
  {
    id: 'question-length',
    name: 'question length',
    title: 'most common letter per question length (words)',
    reason: "the question's length carries the answer",
    extends: ['question'],
    key: (sample) => `${sample.questionWords.length} words`,
  },
  {
    id: 'clip-name',
    name: 'clip name',
    title: "most common letter by whether the clip name spells the question's subject (its primitive, else its words)",
    reason: 'the clip names carry the label',
    // Not per question: a synthetic set asks each primitive of one clip or two, and the rule that
    // "a name spelling the subject means Yes" holds across questions.
    key: (sample) => `name spells the subject: ${sample.subjectInName}`,
  },
  {
    id: 'clip-stem',
    name: 'clip-name stem',
    title: 'most common letter per question and clip-name stem (the source video)',
    reason: 'clips named after one source video share their answers',
    extends: ['question'],
    key: (sample) => (sample.nameStem ? `${sample.question}${SEPARATOR}${sample.nameStem}` : null),
  },
  {
    id: 'option-in-name',
    name: 'option in clip name',
    title: 'the option whose text the clip name spells',
    reason: 'the clip names spell the answer',
    key: (sample) => position(sample.optionInName),
  },
  {
    id: 'longest-option',
    name: 'longest option',
    title: 'by which option is the longest',
    reason: "the options' lengths carry the answer",
    key: (sample) => position(sample.longestOption),
  },
  {
    id: 'negated-option',
    name: 'negated option',
    title: 'by which option is phrased as a negation',
    reason: 'a negated option is (or is not) the answer',
    key: (sample) => {
      if (sample.affirmativeOption < 0) return null;
      return `negated: ${position(1 - sample.affirmativeOption)}`;
    },
  },
];

/** How a key reads in the report: the separator shown as " | ". */
export function describeKey(key: string): string {
  const text = key.split(SEPARATOR).join(' | ').replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 157)}…` : text || '(any sample)';
}
