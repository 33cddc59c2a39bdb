// Content hashes name clips in the frame cache: a renamed or relinked file keeps its frames,
// an edited one gets new ones. Hashing a 500 MB clip takes a second, so each result is kept
// for as long as the file's path, size and modification time stay the same.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../../common/errors';
import { notRegularReason } from './confine';

export interface FileIdentity {
  path: string;
  size: number;
  /** Modification time, ISO 8601 with milliseconds. */
  mtime: string;
}

/** Size and mtime of a regular file; anything else (a FIFO would block the hash forever) throws with the reason. */
export async function fileIdentity(path: string): Promise<FileIdentity> {
  const stats = await stat(path);
  const notRegular = notRegularReason(stats);
  if (notRegular !== null) throw new InputError([{ file: path, reason: notRegular }]);
  return { path, size: stats.size, mtime: stats.mtime.toISOString() };
}

const hashes = new Map<string, Promise<string>>();
const MAX_REMEMBERED = 10_000;

function identityKey(identity: FileIdentity): string {
  return `${identity.path}\u0000${identity.size}\u0000${identity.mtime}`;
}

async function hashStream(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash, { signal });
  return hash.digest('hex');
}

/** sha256 (hex) of the file's bytes, streamed; cached per path + size + mtime. */
export async function hashFile(path: string, options: { signal?: AbortSignal } = {}): Promise<string> {
  const identity = await fileIdentity(path);
  const key = identityKey(identity);
  let pending = hashes.get(key);
  if (!pending) {
    pending = hashStream(path, options.signal);
    if (hashes.size >= MAX_REMEMBERED) hashes.clear();
    hashes.set(key, pending);
    // Failures (cancelled, unreadable) are not remembered.
    pending.catch(() => hashes.delete(key));
  }
  return pending;
}
