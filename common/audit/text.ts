// What the shortcut audit reads of a sample without its video: the question's words, the
// options (letter and text), the clip's file name and the primitive, each reduced once to the
// tokens, keys and matches the rules (./rules.ts) and the classifier (./classifier.ts) use.
import { PRIMITIVE_INFO, isPrimitive } from '../camerabench/primitives';

/** One sample as the audit sees it: nothing here looks at pixels. */
export interface AuditSample {
  id: number;
  question: string;
  /** As stored: "A. No", "B. Yes"; options without a letter are lettered by position. */
  options: readonly string[];
  /** The reference option letter. */
  answer: string;
  /** The clip's file name ('' when the sample has none). */
  clip: string;
  split: string;
  primitive: string | null;
}

/** Why a sample cannot be audited. */
export type SkipReason = 'no-options' | 'answer-not-an-option';

/** A sample reduced to what the rules compare; built once per audit. */
export interface PreparedSample {
  id: number;
  split: string;
  /** The key folds are drawn by, so one clip's questions never sit on both sides. */
  clipKey: string;
  question: string;
  letters: string[];
  texts: string[];
  answer: string;
  /** Question words, lower case. */
  questionWords: string[];
  /** The words of the clip's name (numbers and ids left out). */
  nameTokens: string[];
  /** The name's letters only, lower case, for character n-grams ("0008_pan_left" → "panleft"). */
  nameLetters: string;
  /** The name without its extension and trailing shot numbers: "u35WIs62R2M.1.4.mp4" → "u35wis62r2m". */
  nameStem: string;
  /** Whether the name spells what the question asks about (its primitive, else its content words). */
  subjectInName: 'full' | 'partial' | 'none';
  /** The one option whose text the clip name spells, else -1 (none, or several). */
  optionInName: number;
  /** The one option with the most words (ties: -1); -1 where every option is a single word. */
  longestOption: number;
  /** Where exactly one of several worded options is phrased as a negation: the other one (2 options), else -1. */
  affirmativeOption: number;
}

const OPTION_PATTERN = /^\s*([A-Za-z])\s*[.):]\s*(.*?)\s*$/s;
const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

// Words that say nothing about which motion is meant; left out only where the audit asks
// whether the clip name spells the question's subject (every camera question says "camera").
const FILLER = new Set([
  'a', 'an', 'the', 'of', 'to', 'with', 'respect', 'does', 'do', 'is', 'are', 'this', 'that', 'and', 'or',
  'any', 'camera', 'video', 'frame', 'initial', 'other', 'than', 'what', 'which', 'it', 'its', 'following',
  'description', 'match', 'movement', 'motion', 'shot', 'more', 'likely', 'have', 'answer', 'yes', 'no',
  'in', 'there', 'be', 'as', 'by', 'at', 'on', 'from', 'only', 'while', 'during', 'whole', 'clip',
]);
// Direction words are filler elsewhere ("in this video") but the subject of "zoom in".
const DIRECTIONS = new Set(['in', 'out', 'up', 'down', 'left', 'right', 'forward', 'backward']);
const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'free', 'neither', 'nor', "isn't", "doesn't", "n't", 'none']);

/** The option's letter and text; an option without a letter takes the letter of its position. */
export function parseOption(option: string, index: number): { letter: string; text: string } {
  const match = OPTION_PATTERN.exec(option);
  if (match) return { letter: match[1]!.toUpperCase(), text: match[2]! };
  return { letter: String.fromCharCode(65 + index), text: option.trim() };
}

function subjectWords(sample: AuditSample, questionWords: readonly string[]): string[][] {
  // The primitive's own spellings first: Pan_Left → [pan, left] and its label "pan left";
  // Move_In → [move, in] and "dolly in". A name need match only one of them.
  if (sample.primitive) {
    const spellings = [wordsOf(sample.primitive.replace(/_/g, ' '))];
    if (isPrimitive(sample.primitive)) spellings.push(wordsOf(PRIMITIVE_INFO[sample.primitive].label));
    return spellings;
  }
  const content = questionWords.filter((word) => DIRECTIONS.has(word) || !FILLER.has(word));
  return content.length > 0 ? [content] : [];
}

function stemOf(clip: string): string {
  const base = clip.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]{2,4}$/i, '');
  return base.replace(/([._-]\d+)+$/, '').toLowerCase();
}

interface OptionFacts {
  letters: string[];
  texts: string[];
  optionWords: string[][];
  longestOption: number;
  affirmativeOption: number;
}

interface NameFacts {
  clip: string;
  nameTokens: string[];
  nameSet: Set<string>;
  nameLetters: string;
  nameStem: string;
}

function optionFacts(options: readonly string[]): OptionFacts {
  const parsed = options.map(parseOption);
  const texts = parsed.map((option) => option.text);
  const optionWords = texts.map(wordsOf);
  const lengths = optionWords.map((words) => words.length);
  const longest = Math.max(...lengths);
  const longestOption = longest > 1 && lengths.filter((length) => length === longest).length === 1 ? lengths.indexOf(longest) : -1;
  let affirmativeOption = -1;
  if (optionWords.length === 2 && optionWords.every((words) => words.length > 2)) {
    const negated = optionWords.map((words) => words.some((word) => NEGATIONS.has(word) || word.endsWith("n't")));
    if (negated[0] !== negated[1]) affirmativeOption = negated[0] ? 1 : 0;
  }
  return { letters: parsed.map((option) => option.letter), texts, optionWords, longestOption, affirmativeOption };
}

function nameFacts(path: string): NameFacts {
  const clip = path.replace(/^.*[\\/]/, '');
  // Words only: a token mixing letters and digits is an id (YouTube's "u35WIs62R2M"), which
  // names one source video and no motion; the clip-stem rule looks at those.
  const nameTokens = (clip.replace(/\.[a-z0-9]{2,4}$/i, '').toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((token) => /^[a-z]+$/.test(token));
  return { clip, nameTokens, nameSet: new Set(nameTokens), nameLetters: nameTokens.join(''), nameStem: stemOf(clip) };
}

/**
 * Reduces samples to what the rules compare. Questions, option lists and clip names repeat
 * across a dataset (CameraBench asks 15 questions of each clip in one wording per primitive), so
 * each distinct one is read once: 100k samples prepare in a fraction of a second.
 */
export function createPreparer(): (sample: AuditSample) => PreparedSample | SkipReason {
  const options = new Map<string, OptionFacts>();
  const questions = new Map<string, string[]>();
  const names = new Map<string, NameFacts>();
  const subjects = new Map<string, string[][]>();
  const cached = <T>(cache: Map<string, T>, key: string, make: () => T): T => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make();
      cache.set(key, value);
    }
    return value;
  };
  return (sample) => {
    if (sample.options.length < 2) return 'no-options';
    const facts = cached(options, sample.options.join('\u001f'), () => optionFacts(sample.options));
    const answer = sample.answer.trim().toUpperCase();
    if (!facts.letters.includes(answer)) return 'answer-not-an-option';
    const questionWords = cached(questions, sample.question, () => wordsOf(sample.question));
    const name = cached(names, sample.clip, () => nameFacts(sample.clip));
    const spellings = cached(subjects, `${sample.primitive ?? ''}\u001f${sample.question}`, () => subjectWords(sample, questionWords));

    let subjectInName: PreparedSample['subjectInName'] = 'none';
    for (const spelling of spellings) {
      // Whole tokens only: by letters, "roll_counterclockwise" would spell "clockwise" too.
      const found = spelling.filter((word) => name.nameSet.has(word)).length;
      if (found === spelling.length && found > 0) {
        subjectInName = 'full';
        break;
      }
      if (found > 0) subjectInName = 'partial';
    }
    // An option is spelled by the name when all its words are (yes/no options never are).
    let optionInName = -1;
    if (name.nameTokens.length > 0) {
      facts.optionWords.forEach((words, index) => {
        const isSpelled = words.length > 0 && !(words.length === 1 && (words[0] === 'yes' || words[0] === 'no')) && words.every((word) => name.nameSet.has(word));
        if (isSpelled) optionInName = optionInName === -1 ? index : -2;
      });
      if (optionInName === -2) optionInName = -1;
    }
    return {
      id: sample.id,
      split: sample.split,
      clipKey: name.clip || `#${sample.id}`,
      question: sample.question.trim(),
      letters: facts.letters,
      texts: facts.texts,
      answer,
      questionWords,
      nameTokens: name.nameTokens,
      nameLetters: name.nameLetters,
      nameStem: name.nameStem,
      subjectInName,
      optionInName,
      longestOption: facts.longestOption,
      affirmativeOption: facts.affirmativeOption,
    };
  };
}

/** FNV-1a, 32 bits: a fold drawn from a clip's name is the same on every machine and run. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
