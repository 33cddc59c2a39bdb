// Relinking (`frustum relink PROJECT DIR`, the studio's clips.relink): point the clips whose file
// is not usable at files under one folder, by their path as the dataset wrote it, then by file
// name. The folder becomes the clips' media_root, so from then on their files are read only
// while they stay inside it (backend/media/confine.ts); a file whose real path leaves the
// folder (a symlink out, "../" in the path) is not taken.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../common/errors';
import { listClips, relinkClips as saveRelinks, sampleIdsOfClips, type ClipRow } from '../../db/clips';
import type { WritableDB } from '../../db/connection';
import { confinedClipFile, confineFile, isRefusal, realFolder } from './confine';

export interface RelinkReport {
  relinked: number;
  /** Clips that needed a file and found none under the folder. */
  stillMissing: number;
  /** Clips considered: every clip of the project, or those asked for. */
  clips: number;
  /** The samples of the relinked clips (for 'samples.changed'). */
  sampleIds: number[];
}

/**
 * Regular files under `dir` by file name (first found wins). Symlinked folders are not followed,
 * and a subfolder that cannot be read is passed over: it holds nothing this relink could use.
 */
function indexByName(dir: string): Map<string, string> {
  const index = new Map<string, string>();
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      if (current === dir) throw new InputError([{ file: dir, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }]);
      continue;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && !index.has(entry.name)) index.set(entry.name, path);
    }
  }
  return index;
}

/**
 * Relinks the project's unusable clips (or only `clipIds`) to files under `folder`, in one
 * transaction: every clip found is relinked, or none (a failure writes nothing).
 */
export function relinkClips(db: WritableDB, folder: string, options: { clipIds?: readonly number[] } = {}): RelinkReport {
  const dir = resolve(folder);
  const root = realFolder(dir);
  if (root === null) throw new InputError([{ file: folder, reason: 'is not a folder' }]);
  let clips: ClipRow[] = listClips(db);
  if (options.clipIds !== undefined) {
    const byId = new Map(clips.map((clip) => [clip.id, clip]));
    const unknown = options.clipIds.filter((id) => !byId.has(id));
    if (unknown.length > 0) throw new InputError([{ file: db.name, reason: `has no clip ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}` }]);
    clips = [...new Set(options.clipIds)].map((id) => byId.get(id) as ClipRow);
  }
  const needing = clips.filter((clip) => clip.media_status !== 'ok' || isRefusal(confinedClipFile(db, clip)));
  let byName: Map<string, string> | null = null;
  const found: Array<{ id: number; filePath: string; mediaRoot: string }> = [];
  for (const clip of needing) {
    const direct = resolve(dir, clip.ref);
    let filePath: string | null = isRefusal(confineFile(direct, [root], dir)) ? null : direct;
    if (filePath === null) {
      byName ??= indexByName(dir);
      const named = byName.get(clip.name);
      // Checked as every use will check it: the walk saw a regular file, a moment ago.
      if (named !== undefined && !isRefusal(confineFile(named, [root], dir))) filePath = named;
    }
    if (filePath !== null) found.push({ id: clip.id, filePath, mediaRoot: root });
  }
  const relinked = saveRelinks(db, found);
  return {
    relinked,
    stillMissing: needing.length - found.length,
    clips: clips.length,
    sampleIds: sampleIdsOfClips(db, found.map((clip) => clip.id)),
  };
}
