import { describe, expect, it } from 'vitest';
import type { RolloutGroup } from '../../common/api/contract';
import { advantageTone, byAdvantage, nearestStep, responsePieces, summarizeGroup } from './rollouts';

const response = (overall: number, advantage: number, accuracy = overall > 0.5 ? 1 : 0) => ({
  text: 'x', overall, format: 1, accuracy, advantage, length: 1, contradictions: [],
});

describe('responsePieces', () => {
  it('cuts a response into its tags, sections and contradicted claims', () => {
    const text = '<observation>The camera pans left.</observation><think>So left.</think><answer>A</answer>';
    const claimStart = text.indexOf('pans left');
    const pieces = responsePieces(text, [{ section: 'observation', start: claimStart, end: claimStart + 9, claim: 'pans left', measured: 'pans right', message: 'measured a right pan' }]);
    expect(pieces.map((piece) => text.slice(piece.start, piece.end)).join('')).toBe(text);
    const claim = pieces.find((piece) => piece.contradiction !== null);
    expect(claim && text.slice(claim.start, claim.end)).toBe('pans left');
    expect(claim?.section).toBe('observation');
    expect(pieces.filter((piece) => piece.isTag).map((piece) => text.slice(piece.start, piece.end))).toEqual(['<observation>', '</observation>', '<think>', '</think>', '<answer>', '</answer>']);
    expect(pieces.find((piece) => text.slice(piece.start, piece.end) === 'A')?.section).toBe('answer');
  });

  it('copes with text outside any section and offsets past the end', () => {
    const pieces = responsePieces('no tags here', [{ section: 'answer', start: 3, end: 99, claim: '', measured: '', message: '' }]);
    expect(pieces).toMatchObject([{ start: 0, end: 3, section: null, contradiction: null }, { start: 3, end: 12, section: null }]);
    expect(pieces[1]?.contradiction).not.toBeNull();
  });
});

describe('groups', () => {
  const group: RolloutGroup = { sampleId: 1, clipId: 1, prompt: 'p', groundTruth: 'A', responses: [response(0.2, -1), response(1, 1.2), response(0.6, 0.1)] };

  it('orders responses by advantage and summarises the group', () => {
    expect(byAdvantage(group.responses).map((item) => item.index)).toEqual([1, 2, 0]);
    const summary = summarizeGroup(group);
    expect(summary.meanOverall).toBeCloseTo(0.6, 12);
    expect(summary.accuracy).toBeCloseTo(2 / 3, 12);
    expect(summary.isFlat).toBe(false);
    expect(summarizeGroup({ ...group, responses: [response(1, 0), response(1, 0)] }).isFlat).toBe(true);
  });

  it('tones advantages and snaps a clicked step to one with rollouts', () => {
    expect(advantageTone(0.6, 1.2)).toBe(0.5);
    expect(advantageTone(-5, 1.2)).toBe(-1);
    expect(advantageTone(1, 0)).toBe(0);
    expect(nearestStep([1, 5, 10], 7)).toBe(5);
    expect(nearestStep([1, 5, 10], 8)).toBe(10);
    expect(nearestStep([], 8)).toBeNull();
  });
});
