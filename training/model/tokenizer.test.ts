import { describe, expect, it } from 'vitest';
import { BOS, buildTokenizer, EOS, PAD, splitPieces, tokenizerOf, UNK } from './tokenizer';

const CHAINS = [
  '<observation>Over frames 1–50 the far background (about 32 m away) expands outward, about 1.7% per second.</observation>\n<think>The camera dollies in, so the answer is B (Yes).</think>\n<answer>B</answer>',
  '<observation>Over frames 1–50 the far background drifts left.</observation>\n<think>The camera pans right, so the answer is A (No).</think>\n<answer>A</answer>',
];

describe('the chain tokenizer', () => {
  it('splits into pieces that join back to the text exactly', () => {
    for (const text of [...CHAINS, '  two  spaces\tand\ttabs\r\n', 'émigré naïve 東京 🎥', '']) expect(splitPieces(text).join('')).toBe(text);
    expect(splitPieces('<answer>B</answer>')).toEqual(['<answer>', 'B', '</answer>']);
    expect(splitPieces('about 32 m')).toEqual(['about', ' 3', '2', ' m']);
  });

  it('round-trips the chains it was built from, and spells out words it kept no piece for', () => {
    const tokenizer = buildTokenizer(CHAINS);
    for (const chain of CHAINS) expect(tokenizer.decode(tokenizer.encode(chain))).toBe(chain);
    // "dollies" occurs once: below the default count of 2, so it is spelled by its characters.
    expect(tokenizer.pieces).not.toContain(' dollies');
    expect(tokenizer.encode(' dollies').length).toBe(' dollies'.length);
    expect(tokenizer.pieces).toContain(' background');
  });

  it('gives the same ids for the same chains, reserves the first four, and maps an unseen character to <unk>', () => {
    const first = buildTokenizer(CHAINS);
    const second = buildTokenizer([...CHAINS]);
    expect(second.pieces).toEqual(first.pieces);
    expect(first.pieces.slice(0, 4)).toEqual(['<pad>', '<bos>', '<eos>', '<unk>']);
    expect([PAD, BOS, EOS, UNK]).toEqual([0, 1, 2, 3]);
    expect(first.encode('Ω')).toEqual([UNK]);
    expect(first.decode([BOS, ...first.encode('answer'), EOS, PAD])).toBe('answer');
    expect(tokenizerOf(first.pieces).encode(CHAINS[0] as string)).toEqual(first.encode(CHAINS[0] as string));
    expect(() => tokenizerOf(['a', 'b'])).toThrow(/must start with/);
  });
});
