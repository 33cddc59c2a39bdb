// Probing a project's clips: each clip with a file is probed and hashed (skipped when its
// size and mtime are unchanged since the last probe) and the result or the reason it failed
// is stored. Bad clips are findings, not failures: the batch goes on.
import { listClipMedia, saveClipMedia, type ClipMediaRow, type ClipMediaUpdate } from '../../db/clips';
import type { WritableDB } from '../../db/connection';
import { confinedClipFile, isRefusal } from './confine';
import { hashFile } from './hash';
import { mapPool } from './pool';
import { probeClip } from './probe';

// Results are written every SAVE_EVERY clips: an interrupted batch keeps what it finished.
const SAVE_EVERY = 50;

interface ClipOutcome {
  clip: ClipMediaRow;
  update: ClipMediaUpdate | null;
}

async function probeOneClip(db: WritableDB, clip: ClipMediaRow, isForced: boolean, signal: AbortSignal): Promise<ClipOutcome> {
  // Only a regular file inside the clip's folder reaches ffprobe and the hash (confine.ts): a
  // FIFO would block both forever, and a path out of the folder is not this project's to read.
  const file = confinedClipFile(db, clip);
  if (isRefusal(file)) return { clip, update: { id: clip.id, status: file.status, reason: file.reason } };
  const path = file.realPath;
  const size = file.size;
  const mtime = file.mtime.toISOString();
  const isUnchanged = clip.media_status === 'ok' && clip.probe !== null && clip.content_hash !== null && clip.file_size === size && clip.file_mtime === mtime;
  if (isUnchanged && !isForced) return { clip, update: null };
  const result = await probeClip(path, { signal });
  if (!result.ok) return { clip, update: { id: clip.id, status: result.kind, reason: result.reason, fileSize: size, fileMtime: mtime } };
  let contentHash: string;
  try {
    contentHash = await hashFile(path, { signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { clip, update: { id: clip.id, status: 'error', reason: `cannot be read: ${(error as Error).message}`, fileSize: size, fileMtime: mtime } };
  }
  return { clip, update: { id: clip.id, status: 'ok', probe: result.probe, contentHash, fileSize: result.probe.fileSize, fileMtime: mtime } };
}

export interface ProjectProbeReport {
  clips: number;
  probed: number;
  unchanged: number;
  withoutFile: number;
  problems: Array<{ clip: string; file: string | null; status: string; reason: string }>;
  wasInterrupted: boolean;
}

export async function probeProjectClips(
  db: WritableDB,
  options: { force?: boolean; concurrency?: number | undefined; signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<ProjectProbeReport> {
  const outcomes: ClipOutcome[] = [];
  let unsaved: ClipMediaUpdate[] = [];
  const flush = (): void => {
    if (unsaved.length > 0) saveClipMedia(db, unsaved);
    unsaved = [];
  };
  let wasInterrupted = false;
  const clips = listClipMedia(db);
  const withFile = clips.filter((clip) => clip.file_path !== null);
  const signal = options.signal ?? new AbortController().signal;
  try {
    await mapPool(
      withFile,
      async (clip) => {
        const outcome = await probeOneClip(db, clip, options.force === true, signal);
        outcomes.push(outcome);
        if (outcome.update) unsaved.push(outcome.update);
        if (unsaved.length >= SAVE_EVERY) flush();
      },
      { concurrency: options.concurrency, signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
    wasInterrupted = true;
  } finally {
    flush();
  }
  return {
    clips: clips.length,
    probed: outcomes.filter((outcome) => outcome.update?.status === 'ok').length,
    unchanged: outcomes.filter((outcome) => outcome.update === null).length,
    withoutFile: clips.length - withFile.length,
    problems: outcomes.flatMap((outcome) =>
      outcome.update && outcome.update.status !== 'ok'
        ? [{ clip: outcome.clip.name, file: outcome.clip.file_path, status: outcome.update.status, reason: outcome.update.reason }]
        : [],
    ),
    wasInterrupted,
  };
}
