// Media confinement (issue 9, item 1). A dataset names its clips by path, and that path is
// whoever-wrote-the-dataset's text: "../../../../etc/passwd", "/proc/self/environ", a symlink
// shipped inside the dataset folder that points out of it, a FIFO that blocks whoever opens it.
// So a clip's file is used only when its real path (every symlink followed) lies inside the
// folder the clip was found in — the dataset's folder, `--videos DIR`, or the folder it was
// relinked to, stored as clips.media_root — and only when it is a regular file. Import, the
// studio's media routes, probing, analysis and relinking all ask this module, at every use:
// a file or a symlink can change between the import and the next read.
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError } from '../../common/errors';
import { legacyMediaSources } from '../../db/clips';
import type { ReadableDB } from '../../db/connection';

/** A usable clip file: `path` as stored (what people recognise), `realPath` what is opened. */
export interface ConfinedFile {
  path: string;
  realPath: string;
  size: number;
  mtime: Date;
}

/** Why a file may not be used; `status` is what a clip with it becomes ('missing': relink it, 'error': the file is there but is no clip). */
export interface Refusal {
  status: 'missing' | 'error';
  reason: string;
}

export function isRefusal(result: ConfinedFile | Refusal): result is Refusal {
  return 'reason' in result;
}

/** The real path of a folder, or null when it is not one (missing, a file, unreadable). */
export function realFolder(path: string): string | null {
  try {
    const real = realpathSync.native(path);
    return statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/** Whether real path `path` is `root` or lies under it (both real paths). */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * Why something that exists is not a regular file, or null when it is one. ffmpeg, ffprobe and
 * a read stream all block forever opening a FIFO with no writer (and a blocked open holds one of
 * libuv's four threads: a few of them stall every file operation of the process).
 */
export function notRegularReason(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'is a directory, not a video file';
  if (stats.isFIFO()) return 'is a FIFO (named pipe), not a video file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a video file';
  if (stats.isSocket()) return 'is a socket, not a video file';
  return 'is not a regular file';
}

/** The size of a regular file about to be handed to ffmpeg; anything else (missing, a FIFO ffmpeg would wait on forever) throws naming the file. */
export async function regularFileSize(path: string): Promise<number> {
  let stats;
  try {
    stats = await stat(path);
  } catch {
    throw new InputError([{ file: path, reason: 'file not found' }]);
  }
  const notRegular = notRegularReason(stats);
  if (notRegular !== null) throw new InputError([{ file: path, reason: notRegular }]);
  return stats.size;
}

/** What is wrong with a path, before it is worded for the reader (import or use). */
type FileProblem =
  | { problem: 'gone' }
  | { problem: 'unresolvable'; code: string }
  | { problem: 'outside'; realPath: string }
  | { problem: 'not-regular'; reason: string };

/** `path`'s real path if it is inside one of `roots` (real paths) and is a regular file. */
function checkFile(path: string, roots: readonly string[]): { realPath: string; stats: Stats } | FileProblem {
  let realPath: string;
  try {
    realPath = realpathSync.native(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { problem: 'gone' } : { problem: 'unresolvable', code };
  }
  if (!roots.some((root) => isInside(root, realPath))) return { problem: 'outside', realPath };
  let stats: Stats;
  try {
    stats = statSync(realPath);
  } catch (error) {
    return { problem: 'unresolvable', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  const notRegular = notRegularReason(stats);
  return notRegular === null ? { realPath, stats } : { problem: 'not-regular', reason: notRegular };
}

/**
 * `path` (absolute) if its real path is inside one of `roots` (real paths) and is a regular
 * file; else why not. `describeRoots` names the folders in the reason.
 */
export function confineFile(path: string, roots: readonly string[], describeRoots: string): ConfinedFile | Refusal {
  const checked = checkFile(path, roots);
  if (!('problem' in checked)) return { path, realPath: checked.realPath, size: checked.stats.size, mtime: checked.stats.mtime };
  switch (checked.problem) {
    case 'gone':
      return { status: 'missing', reason: `${path} is gone; relink it to a folder that holds it` };
    case 'unresolvable':
      return { status: 'missing', reason: `${path} cannot be read (${checked.code})` };
    case 'outside': {
      const resolved = checked.realPath === path ? '' : ` (it resolves to ${checked.realPath})`;
      return { status: 'missing', reason: `${path}${resolved} is outside ${describeRoots}; relink it to a folder that holds it` };
    }
    case 'not-regular':
      return { status: 'error', reason: `${path} ${checked.reason}` };
    default: {
      const unhandled: never = checked;
      throw new Error(`unhandled file problem ${JSON.stringify(unhandled)}`);
    }
  }
}

/** What confinedClipFile needs of a clip row. */
export interface ConfinableClip {
  id: number;
  name: string;
  file_path: string | null;
  media_root: string | null;
  media_error?: string | null;
}

/**
 * The one check before any read of a clip's file: its real path inside the clip's media_root,
 * and a regular file. Clips linked before migration 5 have no media_root; for them the rule is
 * the import's own, applied now: the folder of any dataset file the clip's samples came from,
 * or the project file's folder (the studio's dropped files looked for clips there). Those
 * folders are resolved at each use, so moving them elsewhere cannot widen what is served; a clip
 * outside them is refused until it is relinked, which records a media_root.
 */
export function confinedClipFile(db: ReadableDB, clip: ConfinableClip): ConfinedFile | Refusal {
  if (clip.file_path === null) {
    return { status: 'missing', reason: clip.media_error ?? `clip ${clip.name} has no file; relink it to a folder that holds it` };
  }
  const path = resolve(clip.file_path);
  if (clip.media_root !== null) return confineFile(path, [clip.media_root], `its media folder ${clip.media_root}`);
  const folders = new Set([dirname(resolve(db.name)), ...legacyMediaSources(db, clip.id).map((source) => dirname(source))]);
  const roots = [...folders].map(realFolder).filter((root): root is string => root !== null);
  return confineFile(path, roots, `the folders of its datasets and of the project (${[...folders].join(', ')})`);
}

/**
 * Import-time lookup of one path inside one root, cheap enough for tens of thousands of
 * references: folders are resolved once (`realFolderOf` caches them) and a plain file costs
 * one lstat, as existsSync did; only symlinks pay a realpath. Returns null when nothing is there.
 */
export function lookUpConfined(
  candidate: string,
  root: string,
  ref: string,
  describeRoot: string,
  realFolderOf: (folder: string) => string | null,
): { path: string } | { refusal: string } | null {
  const realDir = realFolderOf(dirname(candidate));
  if (realDir === null) return null;
  const outside = { refusal: `${ref} resolves outside ${describeRoot} ${root}; relink it to a folder that holds it` };
  if (!isInside(root, realDir)) return outside;
  const base = basename(candidate);
  const entry = base === '' ? realDir : join(realDir, base);
  let stats: Stats | undefined;
  try {
    stats = lstatSync(entry, { throwIfNoEntry: false });
  } catch (error) {
    return { refusal: `${ref} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  if (stats === undefined) return null;
  if (stats.isSymbolicLink()) {
    const checked = checkFile(entry, [root]);
    if (!('problem' in checked)) return { path: candidate };
    switch (checked.problem) {
      case 'gone':
        return null; // a dangling link: nothing is there
      case 'unresolvable':
        return { refusal: `${ref} cannot be read (${checked.code})` };
      case 'outside':
        return outside;
      case 'not-regular':
        return { refusal: `${ref} ${checked.reason}` };
      default: {
        const unhandled: never = checked;
        throw new Error(`unhandled file problem ${JSON.stringify(unhandled)}`);
      }
    }
  }
  const notRegular = notRegularReason(stats);
  return notRegular === null ? { path: candidate } : { refusal: `${ref} ${notRegular}` };
}
