// The shortcut audit: can a sample's reference answer be predicted without its video? Every
// rule of ./rules.ts and the text-only classifier of ./classifier.ts is fitted on one side of a
// split and scored on the other, against chance (1 / the number of options) and the majority
// letter, per group of samples (the whole project, each source file). Runtime-free: the CLI
// (`frustum audit`) and the studio (`stats.audit`) run this same code over rows db/ reads.
import {
  createFeaturizer,
  createVocabulary,
  fitSoftmax,
  predictSoftmax,
  tellingFeatures,
  type TellingFeature,
} from './classifier';
import { RULES, describeKey, type Rule, type RuleId } from './rules';
import { createPreparer, hashString, type AuditSample, type PreparedSample, type SkipReason } from './text';

export type { AuditSample } from './text';
export type { TellingFeature } from './classifier';

export const SPLIT_BY = ['auto', 'split', 'clip'] as const;
/** auto: train → test where a group has both, else folds by clip; split / clip: force one. */
export type SplitBy = (typeof SPLIT_BY)[number];
export type ShortcutId = RuleId | 'text-classifier';
export type ShortcutLevel = 'shortcut' | 'imbalance' | 'subsumed' | 'none';

/** Folds drawn by a hash of the clip's name where a group has no train and test splits. */
export const CLIP_FOLDS = 5;
/** Fewer held-out samples than this and no verdict is given. */
export const MIN_EVALUATED = 30;
/** A shortcut must beat its baseline by this much accuracy… */
const MIN_LIFT = 0.02;
/** …and by this many standard errors (paired: the samples where the two disagree). */
const MIN_Z = 3;

export interface AuditGroupInput {
  key: string;
  label: string;
  sampleIds: readonly number[];
}

export interface KeyExample {
  /** The rule's key, readable: the question's wording, the option list, an option's text… */
  value: string;
  /** The letter most answered under this key; '' for an option's text (answer-text). */
  letter: string;
  /** Share of the fitted samples under this key answered `letter` (answer-text: that chose this option). */
  share: number;
  /** Fitted samples under this key (answer-text: that offered this option). */
  samples: number;
}

export interface ShortcutResult {
  id: ShortcutId;
  /** A few words: "clip name". */
  name: string;
  title: string;
  /** Held-out accuracy: the rule's letter where it applies, the fitted majority letter elsewhere. */
  accuracy: number;
  /** Held-out samples scored. */
  n: number;
  /** Mean of 1 / the number of options over those samples. */
  chance: number;
  /** Share of those samples answered with their most common letter. */
  majority: number;
  /** Held-out samples the rule had something to say about (its key seen when fitting). */
  applies: number;
  accuracyWhereApplies: number | null;
  level: ShortcutLevel;
  verdict: string;
  /** The rules it must beat besides the majority letter (its key extends theirs). */
  comparedWith: ShortcutId[];
  /** Held-out samples it answers correctly. */
  explained: number;
  /** Their ids, for a shortcut or an imbalance (the Library filters by `sampleIds`); else empty. */
  explainedIds: number[];
  /** The keys that carry the most answers beyond the base rate (rules). */
  examples: KeyExample[];
  /** The classifier's most telling features. */
  features: TellingFeature[];
}

export interface Holdout {
  method: 'split' | 'clip-hash';
  description: string;
  fitted: number;
  evaluated: number;
  /** Split method: clips with questions on both sides (a leak the split itself makes). */
  clipsOnBothSides: number;
}

export interface AuditGroupReport {
  key: string;
  label: string;
  samples: number;
  audited: number;
  skipped: Record<SkipReason, number>;
  /** Reference letters of the audited samples. */
  letters: Record<string, number>;
  /** Audited samples per number of options. */
  optionCounts: Record<string, number>;
  holdout: Holdout;
  chance: number;
  majority: number;
  majorityLetter: string;
  shortcuts: ShortcutResult[];
  verdict: string;
}

export interface AuditReport {
  splitBy: SplitBy;
  /** Samples with a reference answer that were read. */
  samples: number;
  groups: AuditGroupReport[];
}

export function percentText(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

export function auditSamples(samples: readonly AuditSample[], options: { splitBy?: SplitBy; groups?: readonly AuditGroupInput[] } = {}): AuditReport {
  const splitBy = options.splitBy ?? 'auto';
  const prepared = samples.map(createPreparer());
  const indexOfId = new Map<number, number>();
  samples.forEach((sample, index) => indexOfId.set(sample.id, index));
  const vocabulary = createVocabulary();
  const featuresOf = createFeaturizer(vocabulary);
  const features: Array<Int32Array | null> = prepared.map((sample) => (typeof sample === 'string' ? null : featuresOf(sample)));
  const groups = options.groups ?? [{ key: 'project', label: 'all samples', sampleIds: samples.map((sample) => sample.id) }];
  return {
    splitBy,
    samples: samples.length,
    groups: groups.map((group) => {
      const indices = group.sampleIds.map((id) => indexOfId.get(id)).filter((index): index is number => index !== undefined);
      return auditGroup(group, indices, prepared, features, vocabulary, splitBy);
    }),
  };
}

interface Plan {
  holdout: Holdout;
  folds: number;
  /** Per group sample: the fold it is scored in, -1 for none. */
  evalFold: Int8Array;
  /** The fold whose scoring must not see it, -1 for none (fitted for every fold). */
  fitFold: Int8Array;
  isFit: Uint8Array;
}

function planHoldout(group: readonly PreparedSample[], splitBy: SplitBy): Plan {
  const count = group.length;
  const evalFold = new Int8Array(count).fill(-1);
  const fitFold = new Int8Array(count).fill(-1);
  const isFit = new Uint8Array(count);
  const splits = new Set(group.map((sample) => sample.split));
  const hasBoth = splits.has('train') && splits.has('test');
  if (splitBy !== 'clip' && hasBoth) {
    let fitted = 0;
    let evaluated = 0;
    const trainClips = new Set<string>();
    const testClips = new Set<string>();
    group.forEach((sample, index) => {
      if (sample.split === 'train') {
        isFit[index] = 1;
        fitted++;
        trainClips.add(sample.clipKey);
      } else if (sample.split === 'test') {
        evalFold[index] = 0;
        evaluated++;
        testClips.add(sample.clipKey);
      }
    });
    let clipsOnBothSides = 0;
    for (const clip of testClips) if (trainClips.has(clip)) clipsOnBothSides++;
    const others = count - fitted - evaluated;
    return {
      folds: 1,
      evalFold,
      fitFold,
      isFit,
      holdout: {
        method: 'split',
        description: `fitted on split 'train' (${fitted}), scored on split 'test' (${evaluated})${others > 0 ? `; ${others} in other splits left out` : ''}${clipsOnBothSides > 0 ? `; ${clipsOnBothSides} clip(s) have questions in both, which flatters every rule` : ''}`,
        fitted,
        evaluated,
        clipsOnBothSides,
      },
    };
  }
  group.forEach((sample, index) => {
    const fold = hashString(sample.clipKey) % CLIP_FOLDS;
    evalFold[index] = fold;
    fitFold[index] = fold;
    isFit[index] = 1;
  });
  const why = splitBy === 'split' && !hasBoth ? "no 'train' and 'test' splits here, so " : '';
  return {
    folds: CLIP_FOLDS,
    evalFold,
    fitFold,
    isFit,
    holdout: {
      method: 'clip-hash',
      description: `${why}${CLIP_FOLDS} folds drawn by a hash of the clip's name, each scored by rules fitted on the other ${CLIP_FOLDS - 1} (one clip's questions never sit on both sides)`,
      fitted: count,
      evaluated: count,
      clipsOnBothSides: 0,
    },
  };
}

/** Per key: letter counts of the fitted samples in each fold (slots 0…F-1) and in all (slot F). */
function countByKey(keys: ReadonlyArray<string | null>, letterOf: Int32Array, plan: Plan, letterCount: number): Map<string, Float64Array> {
  const table = new Map<string, Float64Array>();
  const slots = plan.folds + 1;
  keys.forEach((key, index) => {
    if (key === null || !plan.isFit[index]) return;
    let counts = table.get(key);
    if (!counts) {
      counts = new Float64Array(slots * letterCount);
      table.set(key, counts);
    }
    const letter = letterOf[index]!;
    counts[plan.folds * letterCount + letter]!++;
    const fold = plan.fitFold[index]!;
    if (fold >= 0) counts[fold * letterCount + letter]!++;
  });
  return table;
}

/** The candidate with the most fitted samples (ties: the more common letter overall, then the first); -1 when none has any. */
function choose(counts: Float64Array, fold: number, plan: Plan, letterCount: number, candidates: readonly number[], overall: Float64Array | null): number {
  const all = plan.folds * letterCount;
  const own = fold * letterCount;
  let best = -1;
  let bestCount = 0;
  let bestOverall = -1;
  for (const letter of candidates) {
    const value = counts[all + letter]! - counts[own + letter]!;
    if (value <= 0) continue;
    const overallValue = overall ? overall[all + letter]! - overall[own + letter]! : 0;
    if (value > bestCount || (value === bestCount && overallValue > bestOverall)) {
      best = letter;
      bestCount = value;
      bestOverall = overallValue;
    }
  }
  return best;
}

interface Scored {
  /** Predicted letter index per group sample; -1 where not scored. */
  predictions: Int32Array;
  applies: Uint8Array;
}

function auditGroup(
  input: AuditGroupInput,
  indices: readonly number[],
  all: ReadonlyArray<PreparedSample | SkipReason>,
  allFeatures: ReadonlyArray<Int32Array | null>,
  vocabulary: ReturnType<typeof createVocabulary>,
  splitBy: SplitBy,
): AuditGroupReport {
  const skipped: Record<SkipReason, number> = { 'no-options': 0, 'answer-not-an-option': 0 };
  const group: PreparedSample[] = [];
  const features: Int32Array[] = [];
  for (const index of indices) {
    const sample = all[index]!;
    if (typeof sample === 'string') {
      skipped[sample]++;
      continue;
    }
    group.push(sample);
    features.push(allFeatures[index]!);
  }
  const letters = [...new Set(group.flatMap((sample) => sample.letters))].sort();
  const letterIndex = new Map(letters.map((letter, index) => [letter, index]));
  const letterCount = letters.length;
  const letterOf = Int32Array.from(group, (sample) => letterIndex.get(sample.answer)!);
  const candidatesOf = group.map((sample) => sample.letters.map((letter) => letterIndex.get(letter)!));
  const plan = planHoldout(group, splitBy);

  const letterCounts: Record<string, number> = {};
  const optionCounts: Record<string, number> = {};
  for (const sample of group) {
    letterCounts[sample.answer] = (letterCounts[sample.answer] ?? 0) + 1;
    optionCounts[sample.letters.length] = (optionCounts[sample.letters.length] ?? 0) + 1;
  }

  // Chance and the majority letter over the held-out samples: what every rule is scored on.
  const evaluated: number[] = [];
  let chanceSum = 0;
  const heldOutLetters = new Float64Array(letterCount);
  group.forEach((sample, index) => {
    if (plan.evalFold[index]! < 0) return;
    evaluated.push(index);
    chanceSum += 1 / sample.letters.length;
    heldOutLetters[letterOf[index]!]!++;
  });
  const n = evaluated.length;
  const chance = n > 0 ? chanceSum / n : 0;
  let majorityIndex = 0;
  heldOutLetters.forEach((value, letter) => {
    if (value > heldOutLetters[majorityIndex]!) majorityIndex = letter;
  });
  const majority = n > 0 ? heldOutLetters[majorityIndex]! / n : 0;
  const majorityLetter = letters[majorityIndex] ?? '';

  const overall = countByKey(group.map(() => ''), letterOf, plan, letterCount).get('') ?? null;
  const scoreRule = (rule: Rule): Scored & { table: Map<string, Float64Array> } => {
    const keys = group.map((sample) => rule.key(sample));
    const table = countByKey(keys, letterOf, plan, letterCount);
    const predictions = new Int32Array(group.length).fill(-1);
    const applies = new Uint8Array(group.length);
    for (const index of evaluated) {
      const fold = plan.evalFold[index]!;
      const key = keys[index]!;
      const counts = key === null ? undefined : table.get(key);
      let letter = counts ? choose(counts, fold, plan, letterCount, candidatesOf[index]!, overall) : -1;
      if (letter >= 0) applies[index] = 1;
      else if (overall) letter = choose(overall, fold, plan, letterCount, candidatesOf[index]!, null);
      predictions[index] = letter;
    }
    return { predictions, applies, table };
  };

  // Per option key: [offered, chosen] of the fitted samples per fold (slots 0…F-1) and in all (slot F).
  const scoreOptionRule = (optionKey: NonNullable<Rule['optionKey']>): Scored & { examples: KeyExample[] } => {
    const slots = plan.folds + 1;
    const keys = group.map((sample) => sample.texts.map((_, option) => optionKey(sample, option)));
    const table = new Map<string, Float64Array>();
    group.forEach((sample, index) => {
      if (!plan.isFit[index]) return;
      keys[index]!.forEach((key, option) => {
        let counts = table.get(key);
        if (!counts) {
          counts = new Float64Array(slots * 2);
          table.set(key, counts);
        }
        const isChosen = sample.letters[option] === sample.answer ? 1 : 0;
        counts[plan.folds * 2]! += 1;
        counts[plan.folds * 2 + 1]! += isChosen;
        const fold = plan.fitFold[index]!;
        if (fold >= 0) {
          counts[fold * 2]! += 1;
          counts[fold * 2 + 1]! += isChosen;
        }
      });
    });
    const predictions = new Int32Array(group.length).fill(-1);
    const applies = new Uint8Array(group.length);
    for (const index of evaluated) {
      const fold = plan.evalFold[index]!;
      let best = -1;
      let bestRate = -1;
      keys[index]!.forEach((key, option) => {
        const counts = table.get(key);
        if (!counts) return;
        const offered = counts[plan.folds * 2]! - counts[fold * 2]!;
        if (offered <= 0) return;
        // Laplace: an option seen twice and chosen twice must not outrank one chosen 90 of 100 times.
        const rate = (counts[plan.folds * 2 + 1]! - counts[fold * 2 + 1]! + 1) / (offered + 2);
        if (rate > bestRate) {
          bestRate = rate;
          best = option;
        }
      });
      const sample = group[index]!;
      if (best >= 0) {
        predictions[index] = letterIndex.get(sample.letters[best]!)!;
        applies[index] = 1;
      } else if (overall) {
        predictions[index] = choose(overall, fold, plan, letterCount, candidatesOf[index]!, null);
      }
    }
    const examples: Array<KeyExample & { extra: number }> = [];
    for (const [key, counts] of table) {
      const offered = counts[plan.folds * 2]!;
      const chosen = counts[plan.folds * 2 + 1]!;
      if (offered < 5) continue;
      examples.push({ value: key, letter: '', share: chosen / offered, samples: offered, extra: chosen - offered * chance });
    }
    examples.sort((a, b) => b.extra - a.extra || b.samples - a.samples);
    return { predictions, applies, examples: examples.slice(0, 5).map(({ extra: _extra, ...example }) => example) };
  };

  const scored = new Map<ShortcutId, Scored>();
  const examplesOf = new Map<RuleId, KeyExample[]>();
  for (const rule of RULES) {
    if (rule.optionKey) {
      const { examples, ...result } = scoreOptionRule(rule.optionKey);
      scored.set(rule.id, result);
      examplesOf.set(rule.id, examples);
      continue;
    }
    const { table, ...result } = scoreRule(rule);
    scored.set(rule.id, result);
    examplesOf.set(rule.id, keyExamples(table, plan, letters, letterCount));
  }
  scored.set('text-classifier', scoreClassifier(features, letterOf, letterCount, candidatesOf, plan, evaluated));

  const baseline = scored.get('majority-letter')!;
  const results: ShortcutResult[] = [];
  const accuracyOf = (scoredRule: Scored) => evaluated.reduce((sum, index) => sum + (scoredRule.predictions[index] === letterOf[index] ? 1 : 0), 0) / Math.max(1, n);
  const context = { n, chance, majority, evaluated, letterOf, baseline, accuracyOf };

  for (const rule of RULES) {
    const parents = (rule.extends ?? []).map((id) => ({ id, name: RULES.find((other) => other.id === id)!.name, scored: scored.get(id)! }));
    const result = summarize(rule.id, rule.name, rule.title, rule.reason, scored.get(rule.id)!, parents, context, group);
    result.examples = examplesOf.get(rule.id)!;
    if (rule.id === 'majority-letter') majorityVerdict(result, group, letters, context);
    results.push(result);
  }
  const classifier = summarize(
    'text-classifier',
    'text classifier',
    'text-only classifier: logistic regression over the words of the question and options and the clip name',
    'the question, options and clip name alone predict the answer',
    scored.get('text-classifier')!,
    [],
    context,
    group,
  );
  const fittedIndices = new Set(group.map((_, index) => index).filter((index) => plan.isFit[index]));
  classifier.features = tellingFeatures(features, letterOf, letters, vocabulary, (index) => fittedIndices.has(index), 10);
  if (classifier.level === 'shortcut' && classifier.features[0]) {
    const top = classifier.features[0];
    classifier.verdict += `; most telling: ${top.description} → ${top.letter} (${percentText(top.share)} of ${top.samples})`;
  }
  results.push(classifier);

  return {
    key: input.key,
    label: input.label,
    samples: indices.length,
    audited: group.length,
    skipped,
    letters: letterCounts,
    optionCounts,
    holdout: plan.holdout,
    chance,
    majority,
    majorityLetter,
    shortcuts: results,
    verdict: groupVerdict(results, n, chance, majority),
  };
}

function scoreClassifier(
  features: readonly Int32Array[],
  letterOf: Int32Array,
  letterCount: number,
  candidatesOf: ReadonlyArray<readonly number[]>,
  plan: Plan,
  evaluated: readonly number[],
): Scored {
  const predictions = new Int32Array(features.length).fill(-1);
  const applies = new Uint8Array(features.length);
  const vocabularySize = features.reduce((max, sampleFeatures) => {
    for (const feature of sampleFeatures) if (feature >= max) max = feature + 1;
    return max;
  }, 0);
  for (let fold = 0; fold < plan.folds; fold++) {
    const model = fitSoftmax(features, letterOf, candidatesOf, letterCount, vocabularySize, (index) => plan.isFit[index] === 1 && plan.fitFold[index] !== fold, 0x9e3779b9 ^ fold);
    for (const index of evaluated) {
      if (plan.evalFold[index] !== fold) continue;
      const letter = predictSoftmax(model, features[index]!, candidatesOf[index]!);
      predictions[index] = letter;
      if (letter >= 0) applies[index] = 1;
    }
  }
  return { predictions, applies };
}

interface SummaryContext {
  n: number;
  chance: number;
  majority: number;
  evaluated: readonly number[];
  letterOf: Int32Array;
  baseline: Scored;
  accuracyOf: (scored: Scored) => number;
}

/** Paired z: the samples one gets right and the other wrong, against those the other way round. */
function pairedZ(a: Scored, b: Scored, evaluated: readonly number[], letterOf: Int32Array): number {
  let onlyA = 0;
  let onlyB = 0;
  for (const index of evaluated) {
    const isA = a.predictions[index] === letterOf[index];
    const isB = b.predictions[index] === letterOf[index];
    if (isA && !isB) onlyA++;
    else if (isB && !isA) onlyB++;
  }
  return onlyA + onlyB === 0 ? 0 : (onlyA - onlyB) / Math.sqrt(onlyA + onlyB);
}

function summarize(
  id: ShortcutId,
  name: string,
  title: string,
  reason: string,
  scored: Scored,
  parents: ReadonlyArray<{ id: ShortcutId; name: string; scored: Scored }>,
  context: SummaryContext,
  group: readonly PreparedSample[],
): ShortcutResult {
  const { n, chance, majority, evaluated, letterOf } = context;
  let correct = 0;
  let applies = 0;
  let correctWhereApplies = 0;
  const explainedIds: number[] = [];
  for (const index of evaluated) {
    const isCorrect = scored.predictions[index] === letterOf[index];
    if (isCorrect) {
      correct++;
      explainedIds.push(group[index]!.id);
    }
    if (scored.applies[index]) {
      applies++;
      if (isCorrect) correctWhereApplies++;
    }
  }
  const accuracy = n > 0 ? correct / n : 0;
  const result: ShortcutResult = {
    id,
    name,
    title,
    accuracy,
    n,
    chance,
    majority,
    applies,
    accuracyWhereApplies: applies > 0 ? correctWhereApplies / applies : null,
    level: 'none',
    verdict: '',
    comparedWith: parents.map((parent) => parent.id),
    explained: correct,
    explainedIds: [],
    examples: [],
    features: [],
  };
  if (n < MIN_EVALUATED) {
    result.verdict = `too few held-out samples (${n}) to tell`;
    return result;
  }
  if (id === 'majority-letter') return result; // majorityVerdict words it
  const baselineAccuracy = context.accuracyOf(context.baseline);
  const beatsMajority = accuracy - Math.max(majority, baselineAccuracy) >= MIN_LIFT && pairedZ(scored, context.baseline, evaluated, letterOf) >= MIN_Z;
  if (!beatsMajority) {
    result.verdict = applies === 0
      ? 'does not apply here: no held-out sample has what it looks for (it answers the majority letter)'
      : `no better than the majority letter (${percentText(majority)})`;
    return result;
  }
  for (const parent of parents) {
    const parentAccuracy = context.accuracyOf(parent.scored);
    if (!(accuracy - parentAccuracy >= MIN_LIFT && pairedZ(scored, parent.scored, evaluated, letterOf) >= MIN_Z)) {
      result.level = 'subsumed';
      result.verdict = `no more than the ${parent.name} alone (${percentText(parentAccuracy)})`;
      return result;
    }
  }
  result.level = 'shortcut';
  result.explainedIds = explainedIds.sort((a, b) => a - b);
  const where = applies < n && result.accuracyWhereApplies !== null ? `; ${percentText(result.accuracyWhereApplies)} on the ${applies} samples it applies to` : '';
  result.verdict = `explains ${percentText(accuracy)} of answers against ${percentText(majority)} for the majority letter and ${percentText(chance)} chance: ${reason}${where}`;
  return result;
}

function majorityVerdict(
  result: ShortcutResult,
  group: readonly PreparedSample[],
  letters: readonly string[],
  context: SummaryContext,
): void {
  if (context.n < MIN_EVALUATED) return;
  const { n, chance, evaluated } = context;
  const accuracy = result.accuracy;
  // Which letter the fitted rule mostly answered, and what that option mostly says ("No").
  const answered = new Map<number, number>();
  const texts = new Map<string, number>();
  for (const index of evaluated) {
    const letter = context.baseline.predictions[index]!;
    answered.set(letter, (answered.get(letter) ?? 0) + 1);
  }
  const letter = [...answered.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? -1;
  for (const index of evaluated) {
    const sample = group[index]!;
    const at = sample.letters.indexOf(letters[letter] ?? '');
    if (at >= 0) texts.set(sample.texts[at]!, (texts.get(sample.texts[at]!) ?? 0) + 1);
  }
  const [text, textCount] = [...texts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const label = `${letters[letter] ?? '?'}${text && textCount > n / 2 && text.length <= 40 ? ` ("${text}")` : ''}`;
  const z = chance > 0 && chance < 1 ? (accuracy - chance) / Math.sqrt((chance * (1 - chance)) / n) : 0;
  if (accuracy - chance >= 0.05 && z >= MIN_Z) {
    result.level = 'imbalance';
    result.explainedIds = evaluated.filter((index) => context.baseline.predictions[index] === context.letterOf[index]).map((index) => group[index]!.id).sort((a, b) => a - b);
    result.verdict = `always answering ${label} explains ${percentText(accuracy)} of answers against ${percentText(chance)} chance: the answer letters are unbalanced`;
  } else if (accuracy - chance >= 0.05) {
    result.verdict = `always answering ${label} gives ${percentText(accuracy)} against ${percentText(chance)} chance: too few samples to call the letters unbalanced`;
  } else {
    result.verdict = `always answering ${label} gives ${percentText(accuracy)}, about chance (${percentText(chance)}): the answer letters are balanced`;
  }
}

function keyExamples(table: Map<string, Float64Array>, plan: Plan, letters: readonly string[], letterCount: number): KeyExample[] {
  const offset = plan.folds * letterCount;
  const base = new Float64Array(letterCount);
  let total = 0;
  for (const counts of table.values()) {
    for (let letter = 0; letter < letterCount; letter++) base[letter]! += counts[offset + letter]!;
  }
  for (const value of base) total += value;
  if (total === 0) return [];
  const found: Array<KeyExample & { extra: number }> = [];
  for (const [key, counts] of table) {
    let samples = 0;
    let best = 0;
    for (let letter = 0; letter < letterCount; letter++) {
      samples += counts[offset + letter]!;
      if (counts[offset + letter]! > counts[offset + best]!) best = letter;
    }
    if (samples < 3) continue;
    const share = counts[offset + best]! / samples;
    found.push({ value: describeKey(key), letter: letters[best]!, share, samples, extra: samples * (share - base[best]! / total) });
  }
  found.sort((a, b) => b.extra - a.extra || b.samples - a.samples);
  return found.slice(0, 5).map(({ extra: _extra, ...example }) => example);
}

function groupVerdict(results: readonly ShortcutResult[], n: number, chance: number, majority: number): string {
  if (n < MIN_EVALUATED) return `too few held-out samples (${n}) to tell`;
  const shortcuts = results.filter((result) => result.level === 'shortcut').sort((a, b) => b.accuracy - a.accuracy);
  const imbalance = results.find((result) => result.level === 'imbalance');
  const parts: string[] = [];
  if (shortcuts[0]) parts.push(`${shortcuts[0].name}: ${shortcuts[0].verdict}`);
  if (imbalance) parts.push(imbalance.verdict);
  if (parts.length === 0) return `no shortcut found: no rule and not the text-only classifier beat the majority letter (${percentText(majority)}; chance ${percentText(chance)})`;
  return parts.join('; ');
}
