// The new-run form's `key=value` overrides: editable rows, a pasted block of lines, and the
// `sets` the contract takes (dotted keys for EasyR1's nesting, values read as YAML scalars by
// the backend, which also names keys it does not know).

export interface OverrideRow {
  key: string;
  value: string;
}

/** Rows from pasted text: one `key=value` (or `key: value`) a line; blank lines and # comments skipped. */
export function parseOverrideLines(text: string): OverrideRow[] {
  const rows: OverrideRow[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    const colon = line.indexOf(': ');
    const isEquals = equals > 0 && (colon < 0 || equals < colon);
    const at = isEquals ? equals : colon;
    if (at <= 0) rows.push({ key: line, value: '' });
    else rows.push({ key: line.slice(0, at).trim(), value: line.slice(at + (isEquals ? 1 : 2)).trim() });
  }
  return rows;
}

/** A row's problem, or null: the key must be a name (dotted path), with no spaces or '='. */
export function overrideProblem(row: OverrideRow): string | null {
  const key = row.key.trim();
  if (key === '') return row.value.trim() === '' ? null : 'a value needs a key';
  if (!/^[A-Za-z_][\w.-]*$/.test(key)) return `"${key}" is not a config key (letters, digits, _ . -)`;
  return null;
}

/** The request's `sets`: filled rows in order, blank rows dropped; undefined when none. */
export function toSets(rows: readonly OverrideRow[]): OverrideRow[] | undefined {
  const sets = rows.filter((row) => row.key.trim() !== '').map((row) => ({ key: row.key.trim(), value: row.value }));
  return sets.length > 0 ? sets : undefined;
}

/**
 * The override rows a server message names ("unknown key trainer.foo", "sets[2].value: …"), so
 * the form can mark them: by index when the message gives one, else by a key it quotes.
 */
export function rowsNamedIn(message: string, rows: readonly OverrideRow[]): number[] {
  const named = new Set<number>();
  for (const match of message.matchAll(/sets\[?\.?(\d+)\]?/g)) {
    const index = Number(match[1]);
    if (index < rows.length) named.add(index);
  }
  rows.forEach((row, index) => {
    const key = row.key.trim();
    if (key !== '' && new RegExp(`(^|[^\\w.])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.])`).test(message)) named.add(index);
  });
  return [...named].sort((left, right) => left - right);
}
