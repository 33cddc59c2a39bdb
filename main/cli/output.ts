// Printing results: JSON for scripts (--json), aligned text for people.

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}

/** "key  value" rows with the values aligned. */
export function table(rows: ReadonlyArray<readonly [string, string | number]>, indent = '  '): string[] {
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${indent}${key.padEnd(width)}  ${value}`);
}

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)}%`;
}
