import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChain } from './parse';
import { createStreamSpanTracker } from './streamSpans';

const CHAINS = (JSON.parse(readFileSync(join(import.meta.dirname, '../../../shared/data/camreasoner/eval_camerabench_OTA_outputs_138.json'), 'utf8')) as { output: string[] }[]).map(
  (record) => record.output[0] as string,
);

// A fixed-seed generator (mulberry32) so a failure reproduces.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Deltas of 1–12 characters, the size of a token or a few: tags arrive cut in pieces.
function split(text: string, next: () => number): string[] {
  const deltas: string[] = [];
  for (let start = 0; start < text.length; ) {
    const length = 1 + Math.floor(next() * 12);
    deltas.push(text.slice(start, start + length));
    start += length;
  }
  return deltas;
}

describe('createStreamSpanTracker', () => {
  it('agrees with parseChain on the text so far after every delta of the 138 real chains', () => {
    expect(CHAINS).toHaveLength(138);
    const next = random(12);
    for (const chain of CHAINS) {
      for (let round = 0; round < 3; round += 1) {
        const tracker = createStreamSpanTracker();
        let sofar = '';
        for (const delta of split(chain, next)) {
          sofar += delta;
          const spans = tracker.push(delta);
          const expected = parseChain(sofar).sections.map((section) => ({
            name: section.name,
            start: section.start,
            end: section.end,
            contentSpan: section.contentSpan,
            closed: section.close !== null,
            nested: section.nested,
          }));
          expect(spans.text).toBe(sofar);
          expect(spans.sections).toEqual(expected);
        }
        expect(tracker.current().parsed).toEqual(parseChain(chain));
      }
    }
  });

  it('shows a section open until its close tag has fully arrived', () => {
    const tracker = createStreamSpanTracker();
    tracker.push('<observ');
    expect(tracker.current().sections).toEqual([]);
    let spans = tracker.push('ation>The frames drift');
    expect(spans.sections).toEqual([{ name: 'observation', start: 0, end: 29, contentSpan: { start: 13, end: 29 }, closed: false, nested: false }]);
    spans = tracker.push(' left.</observ');
    expect(spans.sections[0]?.closed).toBe(false);
    spans = tracker.push('ation>\n<think>');
    expect(spans.sections.map((section) => [section.name, section.closed])).toEqual([
      ['observation', true],
      ['think', false],
    ]);
    tracker.reset();
    expect(tracker.current().text).toBe('');
    expect(tracker.push('<answer>B</answer>').sections).toEqual([{ name: 'answer', start: 0, end: 18, contentSpan: { start: 8, end: 9 }, closed: true, nested: false }]);
  });

  it('follows a 3k-character chain to its end, every section closed (speed is the benchmark\'s business, not a test\'s)', () => {
    const longest = [...CHAINS].sort((left, right) => right.length - left.length)[0] as string;
    const observation = /<observation>([\s\S]*?)<\/observation>/.exec(longest)?.[1] ?? '';
    // The longest real chain with its observation repeated until the chain passes 3,000 characters.
    let chain = longest;
    while (chain.length < 3000) chain = chain.replace('</observation>', `${observation}</observation>`);
    const tracker = createStreamSpanTracker();
    for (const delta of split(chain, random(3))) tracker.push(delta);
    expect(tracker.current().text).toBe(chain);
    expect(tracker.current().sections.every((section) => section.closed)).toBe(true);
  });
});
