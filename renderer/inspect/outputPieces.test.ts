import { describe, expect, it } from 'vitest';
import type { Contradiction } from '../../common/api/contract';
import { observationClaims } from '../../common/ota/claims';
import { parseChain } from '../../common/ota/parse';
import { createStreamSpanTracker } from '../../common/ota/streamSpans';
import { claimsOfContradiction, outputPieces } from './outputPieces';

const OUTPUT = '<observation>The scene is a street. The camera pans left at the end.</observation><think>So it pans.</think><answer>B</answer>';
const CONTEXT = { durationSeconds: 6, frameTimes: [0, 1, 2, 3, 4, 5], fps: 24 };

function contradictionOf(words: string): Contradiction {
  const start = OUTPUT.indexOf(words);
  return { section: 'observation', start, end: start + words.length, claim: words, measured: 'pan right', message: 'the analyzer measured a pan right' };
}

describe('outputPieces', () => {
  it('covers the text with pieces that carry section, tag, claim and contradiction', () => {
    const claims = observationClaims(OUTPUT, CONTEXT);
    expect(claims.map((claim) => claim.text)).toEqual(['The camera pans left at the end.']);
    const pieces = outputPieces(parseChain(OUTPUT), [contradictionOf('pans left')], claims);
    expect(pieces.map((piece) => OUTPUT.slice(piece.start, piece.end)).join('')).toBe(OUTPUT);
    const at = (words: string) => pieces.find((piece) => OUTPUT.slice(piece.start, piece.end) === words);
    expect(at('<observation>')).toMatchObject({ section: 'observation', isTag: true, claim: null });
    expect(at('The scene is a street. ')).toMatchObject({ section: 'observation', isTag: false, claim: null, contradiction: null });
    expect(at('The camera ')).toMatchObject({ claim: 0, contradiction: null });
    expect(at('pans left')).toMatchObject({ claim: 0, contradiction: 0 });
    expect(at(' at the end.')).toMatchObject({ claim: 0, contradiction: null });
    expect(at('B')).toMatchObject({ section: 'answer', isTag: false });
  });

  it('cuts a streaming answer from its tracker\'s parse, and drops marks past the text so far', () => {
    const tracker = createStreamSpanTracker();
    tracker.push('<observation>The camera pa');
    const spans = tracker.push('ns left');
    const pieces = outputPieces(spans.parsed, [contradictionOf('at the end')], []);
    expect(pieces.map((piece) => [spans.text.slice(piece.start, piece.end), piece.section, piece.contradiction])).toEqual([
      ['<observation>', 'observation', null],
      ['The camera pans left', 'observation', null],
    ]);
  });

  it('finds the claims a contradiction falls in', () => {
    const claims = observationClaims(OUTPUT, CONTEXT);
    expect(claimsOfContradiction(claims, contradictionOf('pans left'))).toEqual([0]);
    expect(claimsOfContradiction(claims, contradictionOf('street'))).toEqual([]);
  });
});
