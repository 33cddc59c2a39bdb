// The text-only classifier: logistic regression over what a sample shows without its video
// (the question's words and word pairs, each option's words tagged with its letter, the clip
// name's tokens and letter trigrams, and whether the name spells the question's subject or an
// option), predicting the reference letter.
//
// Written here rather than taken from npm: the maintained text classifiers there either pull in
// storage drivers for their own persistence (`natural` depends on pg, redis, mongoose and memjs,
// none of which belongs in runtime-free code the renderer may load) or work on dense matrices
// (`ml-naivebayes`, `ml-logistic-regression` over ml-matrix), which for 100k samples and a
// vocabulary of 10⁵ features would be 10¹⁰ cells. Sparse weights in typed arrays are a few
// dozen lines and fit 100k samples in about a second.
import type { PreparedSample } from './text';

/** Interns feature names to dense ids, once per audit. */
export interface Vocabulary {
  ids: Map<string, number>;
  names: string[];
}

export function createVocabulary(): Vocabulary {
  return { ids: new Map(), names: [] };
}

function intern(vocabulary: Vocabulary, name: string): number {
  let id = vocabulary.ids.get(name);
  if (id === undefined) {
    id = vocabulary.names.length;
    vocabulary.ids.set(name, id);
    vocabulary.names.push(name);
  }
  return id;
}

/**
 * The sample's features, each once (presence, not counts: a repeated word says no more). The
 * question's, the options' and the name's parts are interned once per distinct text (their
 * prefixes keep the parts apart, so joining them needs no second pass for duplicates).
 */
export function createFeaturizer(vocabulary: Vocabulary): (sample: PreparedSample) => Int32Array {
  const questions = new Map<string, number[]>();
  const options = new Map<string, number[]>();
  const names = new Map<string, number[]>();
  const ids = (names: Set<string>) => [...names].map((name) => intern(vocabulary, name));
  const questionPart = (words: readonly string[], optionCount: number) => {
    const found = new Set<string>();
    for (let index = 0; index < words.length; index++) {
      found.add(`q:${words[index]}`);
      if (index > 0) found.add(`q2:${words[index - 1]} ${words[index]}`);
    }
    found.add(`len:${words.length}`);
    found.add(`k:${optionCount}`);
    return ids(found);
  };
  const optionPart = (sample: PreparedSample) => {
    const found = new Set<string>();
    sample.texts.forEach((text, index) => {
      const letter = sample.letters[index]!;
      const optionWords = text.toLowerCase().match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? [];
      for (const word of optionWords) found.add(`o:${letter}:${word}`);
      if (optionWords.length === 0) found.add(`o:${letter}:(empty)`);
    });
    return ids(found);
  };
  const namePart = (sample: PreparedSample) => {
    const found = new Set<string>();
    for (const token of sample.nameTokens) found.add(`n:${token}`);
    const letters = sample.nameLetters;
    for (let index = 0; index + 3 <= letters.length; index++) found.add(`c:${letters.slice(index, index + 3)}`);
    return ids(found);
  };
  const cached = (cache: Map<string, number[]>, key: string, make: () => number[]) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = make();
      cache.set(key, value);
    }
    return value;
  };
  return (sample) => {
    const question = cached(questions, `${sample.letters.length}\u001f${sample.question}`, () => questionPart(sample.questionWords, sample.letters.length));
    const option = cached(options, [...sample.letters, ...sample.texts].join('\u001f'), () => optionPart(sample));
    const name = cached(names, sample.nameTokens.join(' '), () => namePart(sample));
    const extra: number[] = [];
    if (sample.subjectInName !== 'none') extra.push(intern(vocabulary, `x:${sample.subjectInName}`));
    if (sample.optionInName >= 0) extra.push(intern(vocabulary, `m:${sample.letters[sample.optionInName]}`));
    if (sample.longestOption >= 0) extra.push(intern(vocabulary, `long:${sample.letters[sample.longestOption]}`));
    const features = new Int32Array(question.length + option.length + name.length + extra.length);
    features.set(question, 0);
    features.set(option, question.length);
    features.set(name, question.length + option.length);
    features.set(extra, question.length + option.length + name.length);
    return features;
  };
}

export interface SoftmaxModel {
  letterCount: number;
  /** [feature × letter] weights. */
  weights: Float64Array;
  bias: Float64Array;
  /** Samples fitted on. */
  fitted: number;
}

const EPOCHS = 4;
/**
 * A fold fits on at most this many samples (drawn by the seeded shuffle): a linear model over
 * these features has learnt what it can long before, and 100k samples must audit in seconds.
 */
export const MAX_FITTED = 20_000;
const LEARNING_RATE = 0.3;
/** L2 on the weights a sample touches: keeps a feature seen once (a clip's id) from memorising it. */
const L2 = 1e-2;

/**
 * Multinomial logistic regression over the letters a sample offers (the softmax runs over its
 * own options only), fitted by AdaGrad in a fixed shuffled order on the samples `isFitted` picks.
 * Not naive Bayes: its independence assumption let dozens of letter trigrams of random clip ids
 * outvote the base rate (72 % on CameraBench binary, whose majority letter alone gets 87.7 %).
 */
export function fitSoftmax(
  features: readonly Int32Array[],
  letterOf: Int32Array,
  candidatesOf: ReadonlyArray<readonly number[]>,
  letterCount: number,
  vocabularySize: number,
  isFitted: (index: number) => boolean,
  seed: number,
): SoftmaxModel {
  const weights = new Float64Array(vocabularySize * letterCount);
  const squares = new Float64Array(vocabularySize * letterCount);
  const bias = new Float64Array(letterCount);
  const biasSquares = new Float64Array(letterCount);
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  let order: number[] = [];
  for (let index = 0; index < features.length; index++) if (isFitted(index)) order.push(index);
  if (order.length > MAX_FITTED) {
    for (let at = 0; at < MAX_FITTED; at++) {
      const other = at + Math.floor(random() * (order.length - at));
      const swapped = order[at]!;
      order[at] = order[other]!;
      order[other] = swapped;
    }
    order = order.slice(0, MAX_FITTED);
  }
  // The base rate first: the bias starts at the log share of each letter.
  const documents = new Float64Array(letterCount);
  for (const index of order) documents[letterOf[index]!]!++;
  for (let letter = 0; letter < letterCount; letter++) bias[letter] = Math.log((documents[letter]! + 1) / (order.length + letterCount));
  const scores = new Float64Array(letterCount);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let at = order.length - 1; at > 0; at--) {
      const other = Math.floor(random() * (at + 1));
      const swapped = order[at]!;
      order[at] = order[other]!;
      order[other] = swapped;
    }
    for (const index of order) {
      const sampleFeatures = features[index]!;
      const candidates = candidatesOf[index]!;
      let max = -Infinity;
      for (const letter of candidates) {
        let score = bias[letter]!;
        for (const feature of sampleFeatures) score += weights[feature * letterCount + letter]!;
        scores[letter] = score;
        if (score > max) max = score;
      }
      let sum = 0;
      for (const letter of candidates) {
        scores[letter] = Math.exp(scores[letter]! - max);
        sum += scores[letter]!;
      }
      const answer = letterOf[index]!;
      for (const letter of candidates) {
        const gradient = scores[letter]! / sum - (letter === answer ? 1 : 0);
        biasSquares[letter]! += gradient * gradient;
        bias[letter]! -= (LEARNING_RATE * gradient) / Math.sqrt(biasSquares[letter]! + 1e-8);
        for (const feature of sampleFeatures) {
          const at = feature * letterCount + letter;
          const step = gradient + L2 * weights[at]!;
          squares[at]! += step * step;
          weights[at]! -= (LEARNING_RATE * step) / Math.sqrt(squares[at]! + 1e-8);
        }
      }
    }
  }
  return { letterCount, weights, bias, fitted: order.length };
}

/** The most likely of `candidates` (letter indices), or -1 when nothing was fitted. */
export function predictSoftmax(model: SoftmaxModel, sampleFeatures: Int32Array, candidates: readonly number[]): number {
  if (model.fitted === 0) return -1;
  let best = -1;
  let bestScore = -Infinity;
  for (const letter of candidates) {
    let score = model.bias[letter]!;
    for (const feature of sampleFeatures) score += model.weights[feature * model.letterCount + letter]!;
    if (score > bestScore) {
      bestScore = score;
      best = letter;
    }
  }
  return best;
}

export interface TellingFeature {
  feature: string;
  /** In words: "the clip name has the token 'pan'". */
  description: string;
  letter: string;
  /** Share of the samples with the feature whose answer is `letter`. */
  share: number;
  /** Share of all samples whose answer is `letter`. */
  baseShare: number;
  samples: number;
}

export function describeFeature(feature: string): string {
  const colon = feature.indexOf(':');
  const kind = feature.slice(0, colon);
  const value = feature.slice(colon + 1);
  switch (kind) {
    case 'q':
      return `the question has the word '${value}'`;
    case 'q2':
      return `the question has '${value}'`;
    case 'len':
      return `the question is ${value} words long`;
    case 'k':
      return `${value} options`;
    case 'o': {
      const [letter, word] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
      return `option ${letter} has the word '${word}'`;
    }
    case 'n':
      return `the clip name has the token '${value}'`;
    case 'c':
      return `the clip name has the letters '${value}'`;
    case 'x':
      return value === 'full' ? "the clip name spells the question's subject" : "the clip name spells part of the question's subject";
    case 'm':
      return `the clip name spells option ${value}`;
    case 'long':
      return `option ${value} is the longest`;
    default:
      return feature;
  }
}

/**
 * The features that shift the answer most: for each feature on at least `minSamples` samples,
 * its most over-represented letter, ranked by how many answers beyond the base rate it accounts
 * for (samples × (share − base share)).
 */
export function tellingFeatures(
  features: readonly Int32Array[],
  letterOf: Int32Array,
  letters: readonly string[],
  vocabulary: Vocabulary,
  include: (index: number) => boolean,
  limit: number,
): TellingFeature[] {
  const letterCount = letters.length;
  const counts = new Float64Array(vocabulary.names.length * letterCount);
  const base = new Float64Array(letterCount);
  let total = 0;
  for (let index = 0; index < features.length; index++) {
    if (!include(index)) continue;
    const letter = letterOf[index]!;
    base[letter]!++;
    total++;
    for (const feature of features[index]!) counts[feature * letterCount + letter]!++;
  }
  if (total === 0) return [];
  const minSamples = Math.max(5, Math.ceil(total * 0.005));
  const found: Array<TellingFeature & { extra: number }> = [];
  for (let feature = 0; feature < vocabulary.names.length; feature++) {
    let samples = 0;
    for (let letter = 0; letter < letterCount; letter++) samples += counts[feature * letterCount + letter]!;
    if (samples < minSamples || samples === total) continue;
    let bestLetter = 0;
    let bestLift = -Infinity;
    for (let letter = 0; letter < letterCount; letter++) {
      const lift = counts[feature * letterCount + letter]! / samples - base[letter]! / total;
      if (lift > bestLift) {
        bestLift = lift;
        bestLetter = letter;
      }
    }
    if (bestLift < 0.1) continue;
    const name = vocabulary.names[feature]!;
    found.push({
      feature: name,
      description: describeFeature(name),
      letter: letters[bestLetter]!,
      share: counts[feature * letterCount + bestLetter]! / samples,
      baseShare: base[bestLetter]! / total,
      samples,
      extra: samples * bestLift,
    });
  }
  found.sort((a, b) => b.extra - a.extra || a.feature.localeCompare(b.feature));
  return found.slice(0, limit).map(({ extra: _extra, ...feature }) => feature);
}
