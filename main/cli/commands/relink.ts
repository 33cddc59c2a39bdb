import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../../common/errors';
import { openProject } from '../../../db/connection';
import { listClips, relinkClips } from '../../../db/clips';
import { printJson, printLines } from '../output';

/** Every file under `dir` by file name (first found wins); symlinked folders are not followed. */
function indexByName(dir: string): Map<string, string> {
  const index = new Map<string, string>();
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && !index.has(entry.name)) index.set(entry.name, path);
    }
  }
  return index;
}

export function run(project: string, dir: string, options: { json?: boolean }): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError([{ file: dir, reason: 'is not a folder' }]);
  const db = openProject(project);
  try {
    const clips = listClips(db);
    const byName = indexByName(resolve(dir));
    const found: Array<{ id: number; filePath: string }> = [];
    let stillMissing = 0;
    for (const clip of clips) {
      if (clip.media_status === 'ok' && clip.file_path !== null && existsSync(clip.file_path)) continue;
      const direct = resolve(dir, clip.ref);
      const filePath = existsSync(direct) && statSync(direct).isFile() ? direct : byName.get(clip.name);
      if (filePath) found.push({ id: clip.id, filePath });
      else stillMissing++;
    }
    const relinked = relinkClips(db, found);
    if (options.json) printJson({ ok: true, relinked, stillMissing, clips: clips.length });
    else printLines([`relinked ${relinked} clip(s) to files under ${dir}; ${stillMissing} still missing of ${clips.length}`]);
  } finally {
    db.close();
  }
}
