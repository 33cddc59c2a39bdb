// Where a JSON text first goes wrong, and why. JSON.parse in Node 20 often does not say where
// ("Unexpected token '}', ..." with no position), and a person fixing a 50 MB dataset needs
// the line. Only run after JSON.parse has failed, so speed does not matter here.

export interface JsonSyntaxError {
  offset: number;
  reason: string;
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let index = 0;
  const fail = (reason: string): never => {
    throw { offset: index, reason } satisfies JsonSyntaxError;
  };
  const skipSpace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index] as string)) index++;
  };
  const describe = () => (index >= text.length ? 'the text ends too early (truncated file?)' : `unexpected ${JSON.stringify(text[index])}`);

  const value = (): void => {
    skipSpace();
    const char = text[index];
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') return string();
    // Literals before numbers: "-Infinity" (Python's json.dump writes it) starts like a number.
    for (const literal of ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity']) {
      if (text.startsWith(literal, index)) {
        index += literal.length;
        return;
      }
    }
    if (char !== undefined && /[-0-9]/.test(char)) return number();
    fail(`${describe()} where a value should be`);
  };
  const string = (): void => {
    index++;
    for (;;) {
      if (index >= text.length) fail('a string is not closed (truncated file?)');
      const char = text.charCodeAt(index);
      if (char === 34) {
        index++;
        return;
      }
      if (char < 0x20) fail('a raw control character (e.g. a newline) inside a string; it must be escaped');
      if (char === 92) {
        const escape = text[index + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) fail('a bad \\u escape in a string');
          index += 6;
          continue;
        }
        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail(`a bad escape "\\${escape ?? ''}" in a string`);
        index += 2;
        continue;
      }
      index++;
    }
  };
  const number = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === '-') fail('a malformed number');
    index += (match as RegExpExecArray)[0].length;
  };
  const array = (): void => {
    index++;
    skipSpace();
    if (text[index] === ']') {
      index++;
      return;
    }
    for (;;) {
      value();
      skipSpace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === ']') {
        index++;
        return;
      }
      fail(`${describe()}; expected "," or "]" after an array element`);
    }
  };
  const object = (): void => {
    index++;
    skipSpace();
    if (text[index] === '}') {
      index++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[index] !== '"') fail(`${describe()}; expected a quoted key`);
      string();
      skipSpace();
      if (text[index] !== ':') fail(`${describe()}; expected ":" after a key`);
      index++;
      value();
      skipSpace();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === '}') {
        index++;
        return;
      }
      fail(`${describe()}; expected "," or "}" after a value`);
    }
  };

  try {
    value();
    skipSpace();
    if (index < text.length) fail(`${describe()} after the end of the JSON value`);
    return null;
  } catch (error) {
    if (error !== null && typeof error === 'object' && 'offset' in error) return error as JsonSyntaxError;
    return { offset: index, reason: 'the JSON nests too deeply' }; // stack overflow on absurd nesting
  }
}
