// Writes JSON the way Python's `json.dumps` does, so that files Frustum writes are
// byte-identical to what LLaMA-Factory, EasyR1 and the CamReasoner/CameraBench scripts write
// and read (DESIGN.md: byte-faithful round trips). JSON.stringify differs from Python in three
// places that matter here: separators (", " / ": " and "," with indent), `ensure_ascii`
// escaping (\uXXXX for everything outside printable ASCII, including \x7f), and floats
// (Python writes 1.0 and 1e-05 where JS writes 1 and 0.00001). Hand-written because no
// maintained JS library reproduces Python's json module.

export interface PyJsonStyle {
  /** Spaces per level (Python `indent=`), a tab string, or null for one line. */
  indent: number | string | null;
  /** Python's default is true: every non-ASCII character becomes \uXXXX. */
  ensureAscii: boolean;
  /** Item and key separators. Python: (', ', ': ') without indent, (',', ': ') with it. */
  separators?: readonly [string, string];
}

/** A number that Python held as a float: written as 1.0, not 1. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJsonValue =
  | null
  | boolean
  | number
  | string
  | PyFloat
  | readonly PyJsonValue[]
  | { readonly [key: string]: PyJsonValue | undefined };

export const PYTHON_DEFAULT_STYLE: PyJsonStyle = { indent: null, ensureAscii: true };

export function pyDumps(value: PyJsonValue, style: PyJsonStyle = PYTHON_DEFAULT_STYLE): string {
  const indentUnit =
    style.indent === null ? null : typeof style.indent === 'number' ? ' '.repeat(style.indent) : style.indent;
  const [itemSeparator, keySeparator] = style.separators ?? (indentUnit === null ? [', ', ': '] : [',', ': ']);
  const parts: string[] = [];
  write(value, '');
  return parts.join('');

  function write(node: PyJsonValue, currentIndent: string): void {
    if (node === null) parts.push('null');
    else if (node === true) parts.push('true');
    else if (node === false) parts.push('false');
    else if (typeof node === 'number') parts.push(pyNumber(node, false));
    else if (typeof node === 'string') parts.push(pyString(node, style.ensureAscii));
    else if (node instanceof PyFloat) parts.push(pyNumber(node.value, true));
    else if (Array.isArray(node)) writeArray(node, currentIndent);
    else writeObject(node as { readonly [key: string]: PyJsonValue | undefined }, currentIndent);
  }

  function writeArray(items: readonly PyJsonValue[], currentIndent: string): void {
    if (items.length === 0) {
      parts.push('[]');
      return;
    }
    parts.push('[');
    const inner = indentUnit === null ? currentIndent : currentIndent + indentUnit;
    items.forEach((item, index) => {
      if (index > 0) parts.push(itemSeparator);
      if (indentUnit !== null) parts.push('\n', inner);
      write(item, inner);
    });
    if (indentUnit !== null) parts.push('\n', currentIndent);
    parts.push(']');
  }

  function writeObject(object: { readonly [key: string]: PyJsonValue | undefined }, currentIndent: string): void {
    const keys = Object.keys(object).filter((key) => object[key] !== undefined);
    if (keys.length === 0) {
      parts.push('{}');
      return;
    }
    parts.push('{');
    const inner = indentUnit === null ? currentIndent : currentIndent + indentUnit;
    keys.forEach((key, index) => {
      if (index > 0) parts.push(itemSeparator);
      if (indentUnit !== null) parts.push('\n', inner);
      parts.push(pyString(key, style.ensureAscii), keySeparator);
      write(object[key] as PyJsonValue, inner);
    });
    if (indentUnit !== null) parts.push('\n', currentIndent);
    parts.push('}');
  }
}

/** Python's json string encoding (`encode_basestring` / `encode_basestring_ascii`). */
export function pyString(text: string, ensureAscii: boolean): string {
  // JSON.stringify escapes exactly Python's set for ensure_ascii=False: \" \\ \b \f \n \r \t
  // and \u00XX (lower-case hex) for the other control characters.
  const encoded = JSON.stringify(text);
  if (!ensureAscii) return encoded;
  // Python escapes everything outside ' '..'~' (so \x7f too), one \uXXXX per UTF-16 unit.
  return encoded.replace(/[^\x20-\x7e]/g, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Python's float repr / int str for a JS number. */
export function pyNumber(value: number, isFloat: boolean): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (!isFloat && Number.isInteger(value) && Math.abs(value) < 2 ** 53) return String(value);
  return pyFloatRepr(value);
}

/**
 * Python's repr(float): the shortest round-tripping digits (the same digits JS picks), written
 * in fixed notation when -4 <= exponent < 16, else as d.ddde±XX with at least two exponent digits.
 */
export function pyFloatRepr(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  if (value === 0) return '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= 16 || exponent < -4) {
    const fraction = digits.length > 1 ? '.' + digits.slice(1) : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fractionPart = digits.slice(exponent + 1);
  return `${sign}${integerPart}.${fractionPart === '' ? '0' : fractionPart}`;
}
