// A stand-in for the sympy step of mathruler's grader.are_equal_under_sympy:
//   sympy.simplify(parse_expr(expr.replace("^", "**"),
//       transformations=standard_transformations + (implicit_multiplication_application,))) == 0
// Hand-written because no JavaScript library reproduces sympy's parser and its transformations;
// it covers the subset that reaches this step for answers such as "b+0", "1*B", "BA" or "2x".
//
// Subset (everything else counts as "not equal", which is what the reference returns whenever
// sympy raises, and is our documented deviation where sympy would have succeeded):
//   - ASCII digits as decimal integers, without a leading zero ("0", "12"; not "01", "2.5",
//     "1e3", "2j", "0x1": Python's tokenizer reads those differently);
//   - names of ASCII letters and digits, split into one-letter symbols and digit runs as
//     sympy's split_symbols does ("ab2" → a*b*2); not names with "_", Python keywords, sympy's
//     own names ("pi", "oo", "re", "sqrt", …) or Greek letter names sympy keeps whole ("mu");
//   - + - * / ** and parentheses with Python's precedence (unary minus binds looser than **,
//     ** is right-associative); implicit multiplication between adjacent operands ("2b",
//     "b(c)", "(b)(c)", "(b)2"), inserted as a '*' token as sympy does;
//   - ** only with an exponent that is a constant integer (no symbols), |exponent| ≤ 4096.
// "simplify(diff) == 0" is decided by evaluating the difference with exact BigInt rationals at
// several pseudo-random rational points (Schwartz–Zippel: a non-zero rational function of such
// small degree vanishes at all of them with negligible probability). Known limits: where a
// denominator is zero at every point sympy yields zoo/nan (≠ 0) and so do we, except that sympy
// folds 0*x to 0 before seeing that x divides by zero; decimals, factorials, function calls,
// relations, tuples and huge powers are outside the subset.

/** Names in `from sympy import *` whose letters (after removing "sqrt"/"frac") are ≤ 2 distinct. */
const SYMPY_NAMES = new Set([
  'csc', 'eye', 'ff', 'fft', 'frac', 'fu', 'gff', 'hn1', 'hn2', 'im', 'jn', 'li', 'ln', 'nan', 'ntt', 'oo',
  'pi', 're', 'rf', 'sqrt', 'yn', 'zoo',
]);
/** Python keywords: auto_symbol leaves them as keywords, so eval fails or means something else. */
const PYTHON_KEYWORDS = new Set([
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not',
  'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);
/** sympy's _token_splittable keeps names of Greek small letters whole ("mu" is one symbol). */
const GREEK_LETTER_NAMES = new Set([
  'alpha', 'beta', 'chi', 'delta', 'digamma', 'epsilon', 'eta', 'gamma', 'heta', 'iota', 'kappa', 'koppa',
  'lamda', 'mu', 'nu', 'omega', 'omicron', 'phi', 'pi', 'psi', 'rho', 'sampi', 'san', 'sho', 'sigma',
  'stigma', 'tau', 'theta', 'upsilon', 'xi', 'zeta',
]);

const MAX_EXPONENT = 4096n;
const MAX_BITS = 65_536n;

class OutsideSubset extends Error {}

type Token =
  | { kind: 'number'; value: bigint }
  | { kind: 'symbol'; name: string }
  | { kind: 'operator'; text: '+' | '-' | '*' | '/' | '**' | '(' | ')' };

function isOperand(token: Token | undefined, side: 'left' | 'right'): boolean {
  if (!token) return false;
  if (token.kind !== 'operator') return true;
  return side === 'left' ? token.text === ')' : token.text === '(';
}

/** Python's tokenizer plus auto_symbol, auto_number and split_symbols, for the subset. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const rest = source.slice(index);
    const space = /^[ \t\f]+/.exec(rest);
    const digits = /^[0-9]+/.exec(rest);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (space) {
      index += space[0].length;
    } else if (digits) {
      const text = digits[0];
      const next = source[index + text.length] ?? '';
      if (text.length > 1 && text.startsWith('0')) throw new OutsideSubset('leading zero');
      if (/[eEjJ]/.test(next) || (text === '0' && /[xXbBoO]/.test(next))) throw new OutsideSubset('number literal');
      tokens.push({ kind: 'number', value: BigInt(text) });
      index += text.length;
    } else if (name) {
      tokens.push(...splitName(name[0]));
      index += name[0].length;
    } else if (rest.startsWith('**')) {
      tokens.push({ kind: 'operator', text: '**' });
      index += 2;
    } else if (rest.startsWith('//')) {
      throw new OutsideSubset('floor division');
    } else {
      const character = rest[0] ?? '';
      if (character !== '+' && character !== '-' && character !== '*' && character !== '/' && character !== '(' && character !== ')') {
        throw new OutsideSubset(`character ${JSON.stringify(character)}`);
      }
      tokens.push({ kind: 'operator', text: character });
      index += 1;
    }
  }
  return tokens;
}

/** auto_symbol + split_symbols for one NAME token. */
function splitName(name: string): Token[] {
  if (name.includes('_') || /[A-Z]/.test(name)) throw new OutsideSubset('name');
  if (PYTHON_KEYWORDS.has(name) || SYMPY_NAMES.has(name) || GREEK_LETTER_NAMES.has(name)) throw new OutsideSubset(`name ${name}`);
  const tokens: Token[] = [];
  for (const part of name.match(/[0-9]+|[a-z]/g) ?? []) {
    if (/^[0-9]/.test(part)) {
      // split_symbols emits Number('02'), which sympify cannot parse: the reference raises.
      if (part.length > 1 && part.startsWith('0')) throw new OutsideSubset('leading zero');
      tokens.push({ kind: 'number', value: BigInt(part) });
    } else {
      tokens.push({ kind: 'symbol', name: part });
    }
  }
  return tokens;
}

/** implicit_multiplication: '*' between adjacent operands (number, symbol, ')' then '('). */
function insertImplicitMultiplication(tokens: Token[]): Token[] {
  const result: Token[] = [];
  tokens.forEach((token, index) => {
    if (index > 0 && isOperand(tokens[index - 1], 'left') && isOperand(token, 'right')) {
      result.push({ kind: 'operator', text: '*' });
    }
    result.push(token);
  });
  return result;
}

type Node =
  | { kind: 'number'; value: bigint }
  | { kind: 'symbol'; name: string }
  | { kind: 'negate'; operand: Node }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/' | '**'; left: Node; right: Node };

/** A recursive-descent parser with Python's grammar for arith_expr / term / factor / power. */
function parse(tokens: Token[]): Node {
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const takeOperator = (...texts: string[]): string | null => {
    const token = peek();
    if (token?.kind === 'operator' && texts.includes(token.text)) {
      position += 1;
      return token.text;
    }
    return null;
  };
  const arithmetic = (): Node => {
    let node = term();
    for (let operator = takeOperator('+', '-'); operator; operator = takeOperator('+', '-')) {
      node = { kind: 'binary', operator: operator === '+' ? '+' : '-', left: node, right: term() };
    }
    return node;
  };
  const term = (): Node => {
    let node = factor();
    for (let operator = takeOperator('*', '/'); operator; operator = takeOperator('*', '/')) {
      node = { kind: 'binary', operator: operator === '*' ? '*' : '/', left: node, right: factor() };
    }
    return node;
  };
  const factor = (): Node => {
    const sign = takeOperator('+', '-');
    if (sign === '+') return factor();
    if (sign === '-') return { kind: 'negate', operand: factor() };
    return power();
  };
  const power = (): Node => {
    const base = atom();
    return takeOperator('**') ? { kind: 'binary', operator: '**', left: base, right: factor() } : base;
  };
  const atom = (): Node => {
    const token = peek();
    position += 1;
    if (token?.kind === 'number') return { kind: 'number', value: token.value };
    if (token?.kind === 'symbol') return { kind: 'symbol', name: token.name };
    if (token?.kind === 'operator' && token.text === '(') {
      const inner = arithmetic();
      if (!takeOperator(')')) throw new OutsideSubset('syntax');
      return inner;
    }
    throw new OutsideSubset('syntax'); // includes "()" (an empty tuple in Python)
  };
  const tree = arithmetic();
  if (position !== tokens.length) throw new OutsideSubset('syntax');
  return tree;
}

interface Rational {
  numerator: bigint;
  denominator: bigint; // > 0
}

class DivisionByZero extends Error {}

function greatestCommonDivisor(left: bigint, right: bigint): bigint {
  let a = left < 0n ? -left : left;
  let b = right < 0n ? -right : right;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function rational(numerator: bigint, denominator: bigint): Rational {
  if (denominator === 0n) throw new DivisionByZero();
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = greatestCommonDivisor(numerator, denominator) || 1n;
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

function bitLength(value: bigint): bigint {
  return BigInt((value < 0n ? -value : value).toString(2).length);
}

function hasSymbol(node: Node): boolean {
  switch (node.kind) {
    case 'number': return false;
    case 'symbol': return true;
    case 'negate': return hasSymbol(node.operand);
    case 'binary': return hasSymbol(node.left) || hasSymbol(node.right);
  }
}

function evaluate(node: Node, point: ReadonlyMap<string, Rational>): Rational {
  switch (node.kind) {
    case 'number': return { numerator: node.value, denominator: 1n };
    case 'symbol': return point.get(node.name) ?? { numerator: 0n, denominator: 1n };
    case 'negate': {
      const operand = evaluate(node.operand, point);
      return { numerator: -operand.numerator, denominator: operand.denominator };
    }
    case 'binary': {
      const left = evaluate(node.left, point);
      const right = evaluate(node.right, point);
      switch (node.operator) {
        case '+': return rational(left.numerator * right.denominator + right.numerator * left.denominator, left.denominator * right.denominator);
        case '-': return rational(left.numerator * right.denominator - right.numerator * left.denominator, left.denominator * right.denominator);
        case '*': return rational(left.numerator * right.numerator, left.denominator * right.denominator);
        case '/': return rational(left.numerator * right.denominator, left.denominator * right.numerator);
        case '**': return power(left, right);
      }
    }
  }
}

function power(base: Rational, exponent: Rational): Rational {
  if (exponent.denominator !== 1n) throw new OutsideSubset('fractional exponent');
  const magnitude = exponent.numerator < 0n ? -exponent.numerator : exponent.numerator;
  if (magnitude > MAX_EXPONENT) throw new OutsideSubset('exponent too large');
  if ((bitLength(base.numerator) + bitLength(base.denominator)) * magnitude > MAX_BITS) throw new OutsideSubset('power too large');
  const numerator = base.numerator ** magnitude;
  const denominator = base.denominator ** magnitude;
  return exponent.numerator < 0n ? rational(denominator, numerator) : rational(numerator, denominator);
}

function checkExponentsAreConstant(node: Node): void {
  if (node.kind === 'negate') checkExponentsAreConstant(node.operand);
  if (node.kind !== 'binary') return;
  if (node.operator === '**' && hasSymbol(node.right)) throw new OutsideSubset('symbolic exponent');
  checkExponentsAreConstant(node.left);
  checkExponentsAreConstant(node.right);
}

function collectSymbols(node: Node, into: Set<string>): Set<string> {
  if (node.kind === 'symbol') into.add(node.name);
  if (node.kind === 'negate') collectSymbols(node.operand, into);
  if (node.kind === 'binary') {
    collectSymbols(node.left, into);
    collectSymbols(node.right, into);
  }
  return into;
}

/** A fixed linear congruential sequence, so that a verdict never changes between runs. */
function* pseudoRandomRationals(): Generator<Rational> {
  let state = 0x2545f491n;
  const next = (): bigint => {
    state = (state * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    return state >> 33n;
  };
  for (;;) {
    const numerator = (next() % 1999n) - 999n;
    const denominator = (next() % 97n) + 1n;
    yield rational(numerator === 0n ? 1000n : numerator, denominator);
  }
}

const REQUIRED_POINTS = 6;
const MAX_ATTEMPTS = 24;

/**
 * True when sympy would simplify the expression (grader's "(gt)-(given)", with "^") to 0.
 * Anything outside the subset described at the top of this file gives false.
 */
export function sympyExpressionIsZero(expression: string): boolean {
  try {
    const tree = parse(insertImplicitMultiplication(tokenize(expression.replaceAll('^', '**'))));
    checkExponentsAreConstant(tree);
    const symbols = [...collectSymbols(tree, new Set())].sort();
    const values = pseudoRandomRationals();
    let evaluated = 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && evaluated < REQUIRED_POINTS; attempt += 1) {
      const point = new Map(symbols.map((symbol) => [symbol, values.next().value ?? { numerator: 1n, denominator: 1n }]));
      try {
        if (evaluate(tree, point).numerator !== 0n) return false;
        evaluated += 1;
      } catch (error) {
        if (!(error instanceof DivisionByZero)) throw error;
        // A denominator that vanishes here; if it vanishes everywhere, sympy gives zoo or nan.
      }
      if (symbols.length === 0 && evaluated === 0) return false;
    }
    return evaluated === REQUIRED_POINTS;
  } catch (error) {
    if (error instanceof OutsideSubset) return false;
    throw error;
  }
}
