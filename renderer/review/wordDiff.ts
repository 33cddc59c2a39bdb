// A word-level diff (Myers' O(ND) greedy algorithm over tokens) for the revision history: what
// an old revision had that the current text lacks, and the reverse. Whitespace runs are tokens
// too, so joining the parts of either side gives back that side's exact text.

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export function tokenize(text: string): string[] {
  return text.match(/\s+|[\p{L}\p{N}_'’-]+|[^\s\p{L}\p{N}_'’-]/gu) ?? [];
}

/** Parts turning `before` into `after`; adjacent parts of one kind are merged. */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  // Trim the common prefix and suffix: revisions usually differ in a few words.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  push('same', a.slice(0, prefix).join(''));
  for (const part of myers(middleA, middleB)) push(part.kind, part.text);
  push('same', a.slice(a.length - suffix).join(''));
  return parts;
}

function myers(a: string[], b: string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.length ? [{ kind: 'added', text: b.join('') }] : [];
  if (m === 0) return [{ kind: 'removed', text: a.join('') }];
  const max = n + m;
  const offset = max;
  let frontier = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(frontier.slice());
    const next = frontier.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0))) x = frontier[offset + k + 1] ?? 0;
      else x = (frontier[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    frontier = next;
  }
  trace.push(frontier);
  // Walk back through the recorded frontiers.
  const reversed: DiffPart[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const k = x - y;
    const previousK = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? k + 1 : k - 1;
    const previousX = v[offset + previousK] ?? 0;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      reversed.push({ kind: 'same', text: a[x - 1] as string });
      x--;
      y--;
    }
    if (x === previousX) reversed.push({ kind: 'added', text: b[y - 1] as string });
    else reversed.push({ kind: 'removed', text: a[x - 1] as string });
    x = previousX;
    y = previousY;
  }
  while (x > 0 && y > 0) {
    reversed.push({ kind: 'same', text: a[x - 1] as string });
    x--;
    y--;
  }
  return reversed.reverse();
}
