import { describe, expect, it } from 'vitest';
import { buildQuestionVocabulary, encodeQuestion, EVIDENCE_BINS, evidenceWidth, fitStandardizer, OPTION_SLOTS, poolEvidence, questionOfPrompt, questionWidth, standardize } from './inputs';

describe('the model inputs', () => {
  it('reads the question and options back out of an SFT record\'s user turn', () => {
    const content = '<video>Does the camera pan left?\nOptions:\nA. No\nB. Yes\n\nPlease carefully analyze the video…';
    expect(questionOfPrompt(content)).toEqual({ question: 'Does the camera pan left?', options: ['A. No', 'B. Yes'] });
    expect(questionOfPrompt('<video>How does it move?')).toEqual({ question: 'How does it move?', options: [] });
  });

  it('marks question words and each option slot apart, so swapped options differ', () => {
    const vocabulary = buildQuestionVocabulary([{ question: 'Does the camera pan left?', options: ['A. No', 'B. Yes'] }]);
    expect(questionWidth(vocabulary)).toBe(vocabulary.words.length * (1 + OPTION_SLOTS));
    const a = encodeQuestion(vocabulary, { question: 'Does the camera pan left?', options: ['A. No', 'B. Yes'] });
    const b = encodeQuestion(vocabulary, { question: 'Does the camera pan left?', options: ['A. Yes', 'B. No'] });
    expect(a.reduce((sum, value) => sum + value, 0)).toBe(7);
    expect([...a]).not.toEqual([...b]);
    const size = vocabulary.words.length;
    expect(a[size + vocabulary.words.indexOf('no')]).toBe(1);
    expect(a[2 * size + vocabulary.words.indexOf('yes')]).toBe(1);
  });

  it('pools any number of frame pairs into fixed time bins, with the clip mean and spread', () => {
    const dims = 2;
    // 16 pairs: feature 0 counts up, feature 1 is constant.
    const data = Float32Array.from({ length: 16 * dims }, (_, index) => (index % 2 === 0 ? Math.floor(index / 2) : 5));
    const pooled = poolEvidence({ data, pairs: 16, dims });
    expect(pooled.length).toBe(evidenceWidth(dims));
    expect(pooled[0]).toBeCloseTo(0.5); // pairs 0 and 1
    expect(pooled[(EVIDENCE_BINS - 1) * dims]).toBeCloseTo(14.5); // pairs 14 and 15
    expect(pooled[EVIDENCE_BINS * dims]).toBeCloseTo(7.5); // mean
    expect(pooled[EVIDENCE_BINS * dims + 1]).toBeCloseTo(5);
    expect(pooled[EVIDENCE_BINS * dims + dims + 1]).toBeCloseTo(0); // spread of the constant
    // Fewer pairs than bins: each bin takes the pair under its middle.
    const short = poolEvidence({ data: Float32Array.from([1, 0, 3, 0]), pairs: 2, dims });
    expect(short[0]).toBe(1);
    expect(short[(EVIDENCE_BINS - 1) * dims]).toBe(3);
    expect([...poolEvidence({ data: new Float32Array(0), pairs: 0, dims })].every((value) => value === 0)).toBe(true);
  });

  it('standardises with the training set\'s statistics and clips wild values', () => {
    const rows = [Float32Array.from([1, 10]), Float32Array.from([3, 10])];
    const standardizer = fitStandardizer(rows);
    expect(standardizer.mean).toEqual([2, 10]);
    expect([...standardize(standardizer, Float32Array.from([3, 10]))]).toEqual([1, 0]);
    expect(standardize(standardizer, Float32Array.from([100, 10]))[0]).toBe(5);
  });
});
