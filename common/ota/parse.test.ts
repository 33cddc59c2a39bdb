import { describe, expect, it } from 'vitest';
import { extractAnswerForEval, extractAnswerTag, normalizeTagWhitespace, parseChain } from './parse';

const clean = '<observation>Drifts right.</observation><think>A pan left.</think><answer>B</answer>';

describe('extractAnswerTag', () => {
  it.each([
    ['<answer>B</answer>', 'B'],
    ['<answer> B </answer>', 'B'],
    ['<answer>\nB\n</answer>', 'B'],
    ['<answer>\x85B\x1c</answer>', 'B'],
    ['<answer>\ufeffB</answer>', '\ufeffB'],
    ['<answer>A</answer><answer>B</answer>', 'A'],
    ['<answer></answer>', ''],
    ['<answer>a\nb</answer>', 'a\nb'],
  ])('%j → %j', (text, answer) => {
    expect(extractAnswerTag(text)).toBe(answer);
  });

  it.each(['B', '<answer>B', '< answer >B</answer>', '<ANSWER>B</ANSWER>', ''])('%j has no answer tag', (text) => {
    expect(extractAnswerTag(text)).toBeNull();
  });
});

describe('extractAnswerForEval', () => {
  it('falls back to the Python-stripped text', () => {
    expect(extractAnswerForEval('\x85 B \x1f')).toBe('B');
    expect(extractAnswerForEval('<answer></answer>')).toBe('');
  });
});

describe('normalizeTagWhitespace', () => {
  it('removes Python whitespace around < > and /', () => {
    expect(normalizeTagWhitespace('< answer >B</ answer >')).toBe('<answer>B</answer>');
    expect(normalizeTagWhitespace('x \x85< / think >\x1c y')).toBe('x</think>y');
    expect(normalizeTagWhitespace('B / C')).toBe('B/C');
    expect(normalizeTagWhitespace('\ufeff<a>')).toBe('\ufeff<a>');
  });
});

describe('parseChain', () => {
  it('finds the three sections with offsets in a clean chain', () => {
    const chain = parseChain(clean);
    expect(chain.inOrder).toBe(true);
    expect(chain.outside).toEqual([]);
    expect(chain.strayCloses).toEqual([]);
    expect(chain.tags.map((tag) => `${tag.kind}:${tag.name}`)).toEqual([
      'open:observation', 'close:observation', 'open:think', 'close:think', 'open:answer', 'close:answer',
    ]);
    const answer = chain.first.answer;
    expect(answer?.content).toBe('B');
    expect(clean.slice(answer?.contentSpan.start, answer?.contentSpan.end)).toBe('B');
    expect(clean.slice(answer?.start, answer?.end)).toBe('<answer>B</answer>');
    expect(chain.first.observation?.content).toBe('Drifts right.');
    expect(chain.sections.every((section) => !section.nested && section.close !== null)).toBe(true);
  });

  it('accepts spaced tags and marks them non-canonical', () => {
    const text = '<observation>o</observation><think>t< / think >< answer >B</answer>';
    const chain = parseChain(text);
    expect(chain.inOrder).toBe(true);
    expect(chain.tags.filter((tag) => !tag.canonical).map((tag) => text.slice(tag.start, tag.end))).toEqual(['< / think >', '< answer >']);
    expect(chain.first.answer?.content).toBe('B');
  });

  it('reports text outside the sections, trimmed', () => {
    const text = `Sure! ${clean} Done.\n`;
    const chain = parseChain(text);
    expect(chain.outside.map((span) => text.slice(span.start, span.end))).toEqual(['Sure!', 'Done.']);
  });

  it('pairs repeated sections and keeps the first as first', () => {
    const chain = parseChain(`${clean}<answer>A</answer>`);
    expect(chain.sections.filter((section) => section.name === 'answer').map((section) => section.content)).toEqual(['B', 'A']);
    expect(chain.first.answer?.content).toBe('B');
    expect(chain.inOrder).toBe(true);
  });

  it('detects misordered sections', () => {
    const chain = parseChain('<think>t</think><observation>o</observation><answer>B</answer>');
    expect(chain.inOrder).toBe(false);
    expect(chain.sections.map((section) => section.name)).toEqual(['think', 'observation', 'answer']);
  });

  it('detects nesting', () => {
    const chain = parseChain('<observation>o<think>t</think></observation><answer>B</answer>');
    expect(chain.first.think?.nested).toBe(true);
    expect(chain.first.observation?.nested).toBe(false);
    expect(chain.inOrder).toBe(false);
  });

  it('runs an unclosed section to the end and lists stray closes', () => {
    const text = '</think><observation>o</observation><answer>B';
    const chain = parseChain(text);
    expect(chain.strayCloses.map((tag) => tag.name)).toEqual(['think']);
    expect(chain.first.answer?.close).toBeNull();
    expect(chain.first.answer?.end).toBe(text.length);
    expect(chain.first.answer?.content).toBe('B');
    expect(chain.first.think).toBeUndefined();
  });

  it('handles empty and whitespace-only text', () => {
    expect(parseChain('')).toMatchObject({ tags: [], sections: [], outside: [], inOrder: false });
    expect(parseChain(' \x85\n').outside).toEqual([]);
  });

  it('uses UTF-16 offsets that slice correctly around astral characters', () => {
    const text = '𝐁 <observation>𝐁</observation>';
    const chain = parseChain(text);
    expect(text.slice(chain.outside[0]?.start, chain.outside[0]?.end)).toBe('𝐁');
    expect(chain.first.observation?.content).toBe('𝐁');
  });
});
