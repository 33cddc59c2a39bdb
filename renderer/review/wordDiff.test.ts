import { describe, expect, it } from 'vitest';
import { wordDiff, type DiffPart } from './wordDiff';

const side = (parts: DiffPart[], kind: 'added' | 'removed') => parts.filter((part) => part.kind !== kind).map((part) => part.text).join('');

describe('wordDiff', () => {
  it('marks changed words and keeps both sides reconstructible', () => {
    const before = 'The background drifts right, slowly.';
    const after = 'The background drifts left, quite slowly.';
    const parts = wordDiff(before, after);
    expect(side(parts, 'added')).toBe(before);
    expect(side(parts, 'removed')).toBe(after);
    expect(parts.filter((part) => part.kind === 'removed').map((part) => part.text.trim())).toEqual(['right']);
    expect(parts.filter((part) => part.kind === 'added').map((part) => part.text.trim())).toEqual(['left', 'quite']);
  });

  it('handles empty sides and identical texts', () => {
    expect(wordDiff('', 'a b')).toEqual([{ kind: 'added', text: 'a b' }]);
    expect(wordDiff('a b', '')).toEqual([{ kind: 'removed', text: 'a b' }]);
    expect(wordDiff('same text', 'same text')).toEqual([{ kind: 'same', text: 'same text' }]);
  });

  it('reconstructs random edits', () => {
    const words = ['pan', 'tilt', 'the', 'camera', ' ', '\n', ',', 'zoom'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 200; round++) {
      const make = () => Array.from({ length: Math.floor(random() * 20) }, () => words[Math.floor(random() * words.length)]).join(' ');
      const before = make();
      const after = make();
      const parts = wordDiff(before, after);
      expect(side(parts, 'added')).toBe(before);
      expect(side(parts, 'removed')).toBe(after);
    }
  });
});
