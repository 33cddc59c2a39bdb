import { describe, expect, it } from 'vitest';
import {
  PYTHON_WHITESPACE, PY_DOT, PY_END, PY_NON_SPACE, PY_SPACE, codePoints, decimalValue, firstCodePoint,
  isPythonAlpha, isPythonSpace, lastCodePoint, pyFloat, pyLength, pyStrip, pyUpper,
} from './python';

// Printed by: python3 -c "print([c for c in range(0x110000) if chr(c).isspace()])"
// (Python 3.11.7, Unicode 14); the same list for re.match(r'\s', ch) and for str.strip().
const pythonIsspace = [
  9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197,
  8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288,
];

function allCodePoints(predicate: (character: string) => boolean): number[] {
  const found: number[] = [];
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
    if (predicate(String.fromCodePoint(codePoint))) found.push(codePoint);
  }
  return found;
}

describe('Python whitespace', () => {
  it('is exactly the set python3 reports', () => {
    expect(PYTHON_WHITESPACE).toEqual(pythonIsspace);
    expect(allCodePoints(isPythonSpace)).toEqual(pythonIsspace);
  });

  it('PY_SPACE and PY_NON_SPACE classes match that set and its complement', () => {
    const space = new RegExp(`^${PY_SPACE}$`, 'u');
    const nonSpace = new RegExp(`^${PY_NON_SPACE}$`, 'u');
    expect(allCodePoints((character) => space.test(character))).toEqual(pythonIsspace);
    expect(allCodePoints((character) => !nonSpace.test(character))).toEqual(pythonIsspace);
  });

  it('differs from JavaScript \\s (so the port cannot use it)', () => {
    const javascript = allCodePoints((character) => /^\s$/u.test(character));
    expect(javascript).toContain(0xfeff);
    expect(javascript).not.toContain(0x85);
    expect(javascript).not.toContain(0x1c);
  });

  it('pyStrip strips Python whitespace only', () => {
    expect(pyStrip('\x1c\x85 B \u3000\x1f')).toBe('B');
    expect(pyStrip('\ufeffB\ufeff')).toBe('\ufeffB\ufeff');
    expect(pyStrip(' \t\n ')).toBe('');
    expect(pyStrip('a b')).toBe('a b');
    expect('\x85B'.trim()).not.toBe(pyStrip('\x85B'));
  });
});

describe('code points', () => {
  it('slices and measures like Python', () => {
    expect(firstCodePoint('𝐁x')).toBe('𝐁');
    expect(firstCodePoint('')).toBe('');
    expect(lastCodePoint('x𝐁')).toBe('𝐁');
    expect(lastCodePoint('\udc01')).toBe('\udc01');
    expect(pyLength('𝐁𝐁')).toBe(2);
    expect(codePoints('a𝐁')).toEqual(['a', '𝐁']);
  });

  it('PY_DOT and PY_END behave as Python . and $', () => {
    expect(new RegExp(`^${PY_DOT}$`, 'u').test('\r')).toBe(true);
    expect(new RegExp(`^${PY_DOT}$`, 'u').test('\n')).toBe(false);
    expect(new RegExp(`a${PY_END}`).test('a\n')).toBe(true);
    expect(new RegExp(`a${PY_END}`).test('a\n\n')).toBe(false);
  });

  it('upper-cases as Python does where it matters for option letters', () => {
    expect(pyUpper('ß')).toBe('SS');
    expect(pyUpper('ﬆ')).toBe('ST');
    expect(pyUpper('ı')).toBe('I');
    expect(pyUpper('ſ')).toBe('S');
    // python3: [c for c in range(0x110000) if chr(c).upper() and chr(c).upper() in 'A..Z']
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const upperInAlphabet = allCodePoints((character) => alphabet.includes(pyUpper(character)));
    expect(upperInAlphabet.filter((codePoint) => codePoint > 0x7f)).toEqual([0x131, 0x17f, 0xfb05, 0xfb06]);
  });

  it('classifies letters and digits', () => {
    expect(isPythonAlpha('é')).toBe(true);
    expect(isPythonAlpha('1')).toBe(false);
    expect(decimalValue('٣')).toBe(3);
    expect(decimalValue('𝟗')).toBe(9);
    expect(decimalValue('x')).toBeNull();
  });
});

describe('pyFloat', () => {
  // Each expectation was printed by python3's float().
  it.each([
    ['１.５', 1.5], ['1_0', 10], [' 1_0 ', 10], ['\u30001', 1], ['\u3000 1', 1], ['１_０', 10],
    ['1\x85', 1], ['-iNfinity', -Infinity], ['1e1_0', 1e10], ['+.5e-3', 0.0005], ['\x0b1\x0c', 1],
    ['٣', 3], ['5.', 5], ['1e999', Infinity],
  ])('float(%j) = %d', (text, value) => {
    expect(pyFloat(text)).toBe(value);
  });

  it('reads nan', () => {
    expect(pyFloat(' nan ')).toBeNaN();
  });

  it.each(['1\x1c', '\x1c1', '1__0', '_1', '1_', '1_.5', '1._5', '.', '1e', '0x1', '', ' ', 'B', '1,000', '\ufeff1'])(
    'float(%j) raises ValueError',
    (text) => {
      expect(pyFloat(text)).toBeNull();
    },
  );
});
