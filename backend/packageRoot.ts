// Where Frustum's own files are at run time: the folder holding its package.json, whether this
// code runs from source (tests), from a bundle in dist/ (CLI, web mode, Electron) or from an
// installed app (inside app.asar).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Frustum's package.json, found by walking up from this module. */
export function packageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'frustum') return folder;
      } catch {
        // not ours; keep looking
      }
    }
    folder = dirname(folder);
  }
  return process.cwd();
}

/**
 * A bundled worker thread's script, dist/workers/NAME.cjs. In an installed app it is read from
 * app.asar.unpacked (electron-builder.yml asarUnpack): worker threads cannot load from the archive.
 */
export function workerScript(name: string): string {
  const path = join(packageRoot(), 'dist', 'workers', `${name}.cjs`);
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}
