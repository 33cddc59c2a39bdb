// Finding programs the way a shell does: ffmpeg and ffprobe (backend/media/ffmpeg.ts), the
// trainers' Python, llamafactory-cli and nvidia-smi (backend/engines/environment.ts).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable file named `name` on `path` (a PATH value); a name with a slash is taken as a path. */
export function findOnPath(name: string, path = process.env['PATH'] ?? ''): string | null {
  if (name.includes('/')) return isExecutableFile(name) ? name : null;
  for (const folder of path.split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}
