// The decoder's vocabulary, built from the project's own chains: pieces are a word, one digit, one
// punctuation mark or one O-T-A tag, each with the single space before it ("▁"-style, as GPT-2's
// byte-level pieces carry it), and any other whitespace character alone. Concatenating the pieces
// gives the text back exactly, so a decoded chain is byte-for-byte what the model chose. Digits
// are single pieces so that "1.7%" and "32 m" need ten number pieces, not one per number seen.
// Written by hand: the pre-tokenizers of the tokenizer libraries on npm need a vocabulary trained
// by their Python tools or ship one of their own; this one must come from the project's chains.

/** Reserved ids: padding, start of a chain, end of a chain, a character never seen in training. */
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const UNK = 3;
const SPECIAL = ['<pad>', '<bos>', '<eos>', '<unk>'] as const;

const PIECE = / ?(?:<\/?(?:observation|think|answer)>|\d|\p{L}+|[^\s\p{L}\d])|\s/gu;

export interface Tokenizer {
  /** Every piece by id (the first four are the reserved ones). */
  readonly pieces: readonly string[];
  encode(text: string): number[];
  /** The text of these ids; reserved ids write nothing. */
  decode(ids: readonly number[]): string;
}

/** The pieces of a text, in order (joined they are the text). */
export function splitPieces(text: string): string[] {
  return text.match(PIECE) ?? [];
}

/**
 * A vocabulary from chains: pieces seen at least `minCount` times (most frequent first, then by
 * text, so the same chains always give the same ids), then every character seen, so that a rare
 * word is spelled out instead of lost.
 */
export function buildTokenizer(texts: Iterable<string>, options: { minCount?: number; maxPieces?: number } = {}): Tokenizer {
  const minCount = options.minCount ?? 2;
  const counts = new Map<string, number>();
  const characters = new Set<string>();
  for (const text of texts) {
    for (const piece of splitPieces(text)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
    for (const character of text) characters.add(character);
  }
  const frequent = [...counts.entries()]
    .filter(([piece, count]) => count >= minCount && [...piece].length > 1)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, options.maxPieces ?? 4000)
    .map(([piece]) => piece);
  return tokenizerOf([...SPECIAL, ...frequent, ...[...characters].sort()]);
}

/** The tokenizer of a saved piece list (a checkpoint's). */
export function tokenizerOf(pieces: readonly string[]): Tokenizer {
  if (SPECIAL.some((special, index) => pieces[index] !== special)) throw new Error('a vocabulary must start with <pad>, <bos>, <eos>, <unk>');
  const ids = new Map<string, number>();
  pieces.forEach((piece, index) => {
    if (index >= SPECIAL.length && !ids.has(piece)) ids.set(piece, index);
  });
  return {
    pieces,
    encode(text) {
      const encoded: number[] = [];
      for (const piece of splitPieces(text)) {
        const id = ids.get(piece);
        if (id !== undefined) {
          encoded.push(id);
          continue;
        }
        for (const character of piece) encoded.push(ids.get(character) ?? UNK);
      }
      return encoded;
    },
    decode(idList) {
      let text = '';
      for (const id of idList) if (id >= SPECIAL.length) text += pieces[id] ?? '';
      return text;
    },
  };
}
