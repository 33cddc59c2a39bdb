import { describe, expect, it } from 'vitest';
import { contradiction as contradictionSchema } from '../api/contract';
import { PRIMITIVES, type Primitive } from '../camerabench/primitives';
import { checkChainAgainstReading, countByKind, type ReadingForCheck } from './chainCheck';

const CAMERABENCH = ['A. No', 'B. Yes'];

/** A reading with every score low except the given ones, as a clip with one clear motion reads. */
function reading(scores: Partial<Record<Primitive, number>>, segments: string[] = [], summary: ReadingForCheck['summary'] = { frameCount: 25, meanTrackCount: 200, unmeasuredPairs: 0 }): ReadingForCheck {
  const all = Object.fromEntries(PRIMITIVES.map((primitive) => [primitive, scores[primitive] ?? 0.02]));
  return { scores: all, segments: segments.map((primitive) => ({ primitive })), summary };
}

const panRight = reading({ Pan_Right: 0.97 }, ['Pan_Right']);

function chain(observation: string, think: string, answer = 'B'): string {
  return `<observation>${observation}</observation><think>${think}</think><answer>${answer}</answer>`;
}

describe('checkChainAgainstReading', () => {
  it('finds nothing in a chain that agrees with the reading', () => {
    const text = chain('The background drifts left uniformly, no parallax.', 'Uniform drift means rotation: the camera pans right. It does not pan left and does not zoom.');
    expect(checkChainAgainstReading(text, panRight, { primitive: 'Pan_Right', options: CAMERABENCH })).toEqual([]);
  });

  it('flags "pans left" when the analyzer measured a pan right, at the phrase', () => {
    const text = chain('The background drifts to the right.', 'So the camera pans left.');
    const found = checkChainAgainstReading(text, panRight);
    expect(found).toHaveLength(1);
    const [first] = found;
    expect(first).toMatchObject({ section: 'think', kind: 'opposite-direction', claim: 'pans left', measured: 'pan right (score 0.97)' });
    expect(text.slice(first!.start, first!.end)).toBe('pans left');
    expect(first!.message).toBe('says "pans left"; measured: the content drifts left, uniformly at all depths → pan right (score 0.97)');
    // The studio validates what it sends with the contract's schema.
    expect(contradictionSchema.parse(first)).toBeTruthy();
  });

  it('checks the answer letter against the question', () => {
    const text = chain('The background drifts to the right.', 'Hard to say.', 'B');
    const found = checkChainAgainstReading(text, panRight, { primitive: 'Pan_Left', options: CAMERABENCH });
    expect(found).toEqual([expect.objectContaining({ section: 'answer', kind: 'answer', claim: 'B', measured: 'pan right (score 0.97)' })]);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe('B');
    // "No" to pan left agrees; "No" to pan right does not.
    expect(checkChainAgainstReading(chain('x', 'y', 'A'), panRight, { primitive: 'Pan_Left', options: CAMERABENCH })).toEqual([]);
    expect(checkChainAgainstReading(chain('x', 'y', 'A'), panRight, { primitive: 'Pan_Right', options: CAMERABENCH })).toEqual([
      expect.objectContaining({ kind: 'answer', claim: 'A' }),
    ]);
  });

  it('reports nothing where the analyzer is unsure', () => {
    const text = chain('The background drifts to the right.', 'So the camera pans left.', 'B');
    const question = { primitive: 'Pan_Left' as const, options: CAMERABENCH };
    // Pan left only unlikely, not clearly absent.
    expect(checkChainAgainstReading(text, reading({ Pan_Left: 0.35, Pan_Right: 0.97 }, ['Pan_Right']), question)).toEqual([]);
    // Pan left clearly absent, but nothing else clearly seen either (a blank wall reads like this).
    expect(checkChainAgainstReading(text, reading({ Pan_Right: 0.6, Static: 0.3 }), question)).toEqual([]);
    // Clear scores from too few tracks.
    expect(checkChainAgainstReading(text, reading({ Pan_Right: 0.97 }, [], { frameCount: 25, meanTrackCount: 8, unmeasuredPairs: 0 }), question)).toEqual([]);
    // Clear scores, but most frame pairs unmeasured.
    expect(checkChainAgainstReading(text, reading({ Pan_Right: 0.97 }, [], { frameCount: 25, meanTrackCount: 200, unmeasuredPairs: 20 }), question)).toEqual([]);
  });

  it('tells a truck from a pan only when the analyzer is sure, and names the twin', () => {
    const text = chain('Everything drifts left.', 'The camera moves right.');
    const found = checkChainAgainstReading(text, panRight);
    expect(found).toEqual([expect.objectContaining({ kind: 'absent-motion', claim: 'moves right', measured: 'pan right (score 0.97)' })]);
    expect(found[0]!.message).toMatch(/says "moves right" \(truck right 0\.02\); measured: .* → pan right/);
  });

  it('flags a static claim against clear motion, but not a sequence the segments confirm', () => {
    const moving = reading({ Zoom_In: 0.95 }, ['Zoom_In']);
    expect(checkChainAgainstReading(chain('Nothing changes.', 'The camera remains static.'), moving)).toEqual([
      expect.objectContaining({ kind: 'not-static', claim: expect.stringMatching(/static/), measured: 'zoom in (score 0.95)' }),
    ]);
    const thenStill = reading({ Zoom_In: 0.95 }, ['still', 'Zoom_In']);
    expect(checkChainAgainstReading(chain('Nothing changes at first.', 'The camera remains static, then zooms in.'), thenStill)).toEqual([]);
  });

  it('flags a denied motion the analyzer clearly saw', () => {
    const found = checkChainAgainstReading(chain('The scene drifts left.', 'The camera does not pan right.'), panRight);
    expect(found).toEqual([expect.objectContaining({ kind: 'denied-motion', measured: 'pan right (score 0.97)' })]);
    expect(countByKind(found)).toEqual({ 'opposite-direction': 0, 'absent-motion': 0, 'not-static': 0, 'denied-motion': 1, answer: 0 });
  });

  it('does not hold a denial against a reading that has not told the motion from its twin', () => {
    const text = chain('The picture contracts; near things shrink faster.', 'The camera dollies out; it does not zoom out.', 'A');
    const question = { primitive: 'Zoom_Out' as const, options: CAMERABENCH };
    // A contraction seen, zoom and dolly scored alike: no contradiction in the think or the answer.
    expect(checkChainAgainstReading(text, reading({ Zoom_Out: 0.81, Move_Out: 0.8 }), question)).toEqual([]);
    // The same chain against a reading sure of the zoom is contradicted twice.
    const sure = checkChainAgainstReading(text, reading({ Zoom_Out: 0.95, Move_Out: 0.3 }), question);
    expect(sure.map((contradiction) => contradiction.kind).sort()).toEqual(['answer', 'denied-motion']);
  });

  it('reports a claim and its gloss once', () => {
    const zoomIn = reading({ Zoom_In: 0.99 }, ['Zoom_In']);
    const found = checkChainAgainstReading(chain('The picture grows.', 'The camera moves down (pedestal down).'), zoomIn);
    expect(found.map((contradiction) => [contradiction.kind, contradiction.claim])).toEqual([['absent-motion', 'moves down']]);
  });

  it('reads claims only inside sections, with offsets into the whole chain', () => {
    const text = `preamble: the camera pans left. ${chain('Drift to the right.', 'Thus the camera pans left, clearly.')}`;
    const found = checkChainAgainstReading(text, panRight);
    expect(found).toHaveLength(1);
    expect(found[0]!.start).toBe(text.lastIndexOf('pans left'));
  });
});
