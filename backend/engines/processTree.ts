// Every process under a pid, from /proc (Linux): a trainer's child is not a process-group leader
// (it stays in the job's group, so a cancel's group kill reaches it too), and a job stopping its
// trainer itself must reach torchrun's workers and Ray's local daemons without killing itself.
// Written by hand: the npm packages for this (ps-tree, pidtree) shell out to `ps` per call.
import { readdirSync, readFileSync } from 'node:fs';

/** Children by parent pid, read once. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/** Descendants of `pid`, parents before their children (empty off Linux). */
export function descendantsOf(pid: number): number[] {
  const children = childrenByParent();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of children.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
