// What the built-in model reads besides its own tokens, as fixed-size vectors:
//   - the question with its options: a bag of words of the question, then one bag per option slot
//     (A, B, C…), so "B. Yes" and "B. No" differ where the answer letter is decided;
//   - the clip's motion evidence (backend/motion/analyze/evidence.ts: one vector per sampled frame
//     pair from the analyzer's tracking): pooled into a fixed number of time bins plus the mean and
//     spread over the whole clip, then standardised with the training set's statistics.
// Both vocabularies and the statistics are saved with the checkpoint (./checkpoint.ts), so an
// exported model reads a new clip exactly as training did.

/** Option slots: CameraBench's two, ShotBench's four, a few spare. */
export const OPTION_SLOTS = 6;
/** Time bins of the pooled evidence: a 2-second clip at 8 fps has 15 frame pairs. */
export const EVIDENCE_BINS = 8;

export interface QuestionInput {
  question: string;
  /** As the record writes them: "A. No", "B. Yes". */
  options: readonly string[];
}

const WORD = /\p{L}+|\d+/gu;

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []);
}

/** "B. Yes" → "Yes"; an option without a letter is kept whole. */
export function optionText(option: string): string {
  return option.replace(/^\s*[A-Z][.)]\s*/, '');
}

/**
 * Question and options of a LLaMA-Factory SFT record's user turn, as the exporter writes it:
 * `<video>QUESTION\nOptions:\nA. …\nB. …\n\nPROMPT TAIL` (the tail is the same for every record).
 */
export function questionOfPrompt(content: string): QuestionInput {
  const text = content.replace(/<video>|<image>/g, '');
  const marker = text.indexOf('\nOptions:\n');
  if (marker < 0) return { question: text.split('\n\n')[0]?.trim() ?? '', options: [] };
  const options: string[] = [];
  for (const line of text.slice(marker + '\nOptions:\n'.length).split('\n')) {
    if (!/^[A-Z][.)]\s/.test(line)) break;
    options.push(line.trim());
  }
  return { question: text.slice(0, marker).trim(), options };
}

export interface QuestionVocabulary {
  words: readonly string[];
}

/** The words of every question and option, most frequent first, at most `maxWords`. */
export function buildQuestionVocabulary(inputs: Iterable<QuestionInput>, maxWords = 512): QuestionVocabulary {
  const counts = new Map<string, number>();
  for (const input of inputs) {
    for (const text of [input.question, ...input.options.map(optionText)]) {
      for (const word of new Set(wordsOf(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxWords).map(([word]) => word);
  return { words };
}

export function questionWidth(vocabulary: QuestionVocabulary): number {
  return vocabulary.words.length * (1 + OPTION_SLOTS);
}

/** Presence of each word in the question, then in each option slot. */
export function encodeQuestion(vocabulary: QuestionVocabulary, input: QuestionInput, into?: Float32Array): Float32Array {
  const size = vocabulary.words.length;
  const vector = into ?? new Float32Array(questionWidth(vocabulary));
  vector.fill(0);
  const index = new Map(vocabulary.words.map((word, position) => [word, position]));
  const mark = (text: string, slot: number) => {
    for (const word of wordsOf(text)) {
      const position = index.get(word);
      if (position !== undefined) vector[slot * size + position] = 1;
    }
  };
  mark(input.question, 0);
  input.options.slice(0, OPTION_SLOTS).forEach((option, slot) => mark(optionText(option), slot + 1));
  return vector;
}

export interface ClipEvidence {
  /** Frame pairs × features, row-major. */
  data: Float32Array;
  pairs: number;
  dims: number;
}

export function evidenceWidth(dims: number): number {
  return dims * (EVIDENCE_BINS + 2);
}

/**
 * Mean of the pairs in each of EVIDENCE_BINS equal stretches of the clip (a stretch shorter than
 * one pair takes the pair under its middle), then the clip's mean and standard deviation: the
 * order of motions survives ("pans, then stops") at a size that does not depend on the length.
 */
export function poolEvidence(evidence: ClipEvidence): Float32Array {
  const { data, pairs, dims } = evidence;
  const pooled = new Float32Array(evidenceWidth(dims));
  if (pairs === 0) return pooled;
  for (let bin = 0; bin < EVIDENCE_BINS; bin += 1) {
    let start = Math.floor((bin * pairs) / EVIDENCE_BINS);
    let end = Math.floor(((bin + 1) * pairs) / EVIDENCE_BINS);
    if (end <= start) {
      start = Math.min(pairs - 1, Math.floor(((bin + 0.5) * pairs) / EVIDENCE_BINS));
      end = start + 1;
    }
    for (let pair = start; pair < end; pair += 1) {
      for (let dim = 0; dim < dims; dim += 1) pooled[bin * dims + dim]! += data[pair * dims + dim]! / (end - start);
    }
  }
  const meanAt = EVIDENCE_BINS * dims;
  const spreadAt = meanAt + dims;
  for (let dim = 0; dim < dims; dim += 1) {
    let sum = 0;
    let squares = 0;
    for (let pair = 0; pair < pairs; pair += 1) {
      const value = data[pair * dims + dim]!;
      sum += value;
      squares += value * value;
    }
    const mean = sum / pairs;
    pooled[meanAt + dim] = mean;
    pooled[spreadAt + dim] = Math.sqrt(Math.max(0, squares / pairs - mean * mean));
  }
  return pooled;
}

export interface Standardizer {
  mean: number[];
  scale: number[];
}

/** Per-feature mean and 1 / standard deviation over the training clips (a constant feature is left unscaled). */
export function fitStandardizer(rows: readonly Float32Array[]): Standardizer {
  const width = rows[0]?.length ?? 0;
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(1);
  if (rows.length === 0) return { mean, scale };
  for (const row of rows) for (let index = 0; index < width; index += 1) mean[index]! += row[index]! / rows.length;
  for (let index = 0; index < width; index += 1) {
    let variance = 0;
    for (const row of rows) variance += (row[index]! - mean[index]!) ** 2 / rows.length;
    scale[index] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 1;
  }
  return { mean, scale };
}

/** Standardised and clipped to ±5, so one wild frame pair cannot saturate every unit. */
export function standardize(standardizer: Standardizer, row: Float32Array): Float32Array {
  const result = new Float32Array(row.length);
  for (let index = 0; index < row.length; index += 1) {
    result[index] = Math.max(-5, Math.min(5, (row[index]! - standardizer.mean[index]!) * standardizer.scale[index]!));
  }
  return result;
}
