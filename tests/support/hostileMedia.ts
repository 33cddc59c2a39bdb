// A project built from a hostile dataset (issue 9, item 1): records whose clip paths climb out
// of the dataset folder ("../", absolute paths, /proc/self/environ), symlinks in the dataset
// folder pointing out, a FIFO and a folder named as clips — beside two honest clips. Imported
// and probed with the code the CLI runs. Afterwards two clips that imported fine turn hostile,
// as files on disk can: `later-fifo.mp4` is replaced by a FIFO, and `swap()` points the
// `swap.mp4` symlink out of the folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../backend/media/ffmpeg';
import { syntheticSft } from '../fixtures/syntheticDatasets';
import { createImportedProject } from './studioProject';

/** What a served secret would contain: no response may hold it. */
export const SECRET_TEXT = 'TOP SECRET: this file is outside every dataset folder';

/** The clip name (the file name the import keys clips by) → the reference the dataset gave. */
export function hostileReferences(folder: string): Record<string, string> {
  return {
    'ok.mp4': 'video/ok.mp4',
    'inside-link.mp4': 'video/inside-link.mp4',
    'secret.mp4': '../outside/secret.mp4',
    passwd: '../../../../../../../../../../../../etc/passwd',
    'secret.txt': join(folder, 'outside', 'secret.txt'),
    environ: '/proc/self/environ',
    'out-link.mp4': 'video/out-link.mp4',
    'proc-link.mp4': 'video/proc-link.mp4',
    'pipe.mp4': 'video/pipe.mp4',
    'folder.mp4': 'video/folder.mp4',
    'swap.mp4': 'video/swap.mp4',
    'later-fifo.mp4': 'video/later-fifo.mp4',
  };
}

/** Clips the import must refuse, and the words their reason must hold. */
export const REFUSED_AT_IMPORT: Record<string, RegExp> = {
  'secret.mp4': /resolves outside the dataset folder/,
  passwd: /resolves outside the dataset folder/,
  'secret.txt': /resolves outside the dataset folder/,
  environ: /resolves outside the dataset folder/,
  'out-link.mp4': /resolves outside the dataset folder/,
  'proc-link.mp4': /resolves outside the dataset folder/,
  'pipe.mp4': /is a FIFO \(named pipe\), not a video file/,
  'folder.mp4': /is a directory, not a video file/,
};

export interface HostileProject {
  folder: string;
  /** The dataset's folder, as a real path (what media_root holds). */
  datasetDir: string;
  project: string;
  /** Points video/swap.mp4 (imported pointing at ok.mp4) at the secret outside the folder. */
  swap(): void;
}

export async function buildHostileProject(folder: string): Promise<HostileProject> {
  const { ffmpeg } = await resolveFfmpeg();
  const datasetDir = join(folder, 'dataset');
  const video = join(datasetDir, 'video');
  const outside = join(folder, 'outside');
  mkdirSync(video, { recursive: true });
  mkdirSync(outside, { recursive: true });
  const clip = (path: string): void => {
    execFileSync(
      ffmpeg.path,
      ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', "color=c=black:s=64x48:r=25:d=0.4,format=gray,geq=lum='16+N*8'",
        '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  };
  clip(join(video, 'ok.mp4'));
  clip(join(video, 'later-fifo.mp4'));
  // A real clip outside: were it served, it would play. Refusing it is confinement, not a decode error.
  clip(join(outside, 'secret.mp4'));
  writeFileSync(join(outside, 'secret.txt'), SECRET_TEXT);
  symlinkSync('ok.mp4', join(video, 'inside-link.mp4'));
  symlinkSync(join(outside, 'secret.mp4'), join(video, 'out-link.mp4'));
  symlinkSync('/proc/self/environ', join(video, 'proc-link.mp4'));
  symlinkSync('ok.mp4', join(video, 'swap.mp4'));
  execFileSync('mkfifo', [join(video, 'pipe.mp4')]);
  mkdirSync(join(video, 'folder.mp4'));

  const references = Object.values(hostileReferences(folder));
  const records = syntheticSft({ count: references.length, seed: 909 }).map((record, index) => ({ ...(record as object), videos: [references[index]] }));
  const dataset = join(datasetDir, 'sft.json');
  writeFileSync(dataset, JSON.stringify(records, null, 2));
  const project = await createImportedProject(join(folder, 'hostile.frustum'), dataset);
  // Imported and probed as a good clip; now a FIFO, which blocks whoever opens it.
  rmSync(join(video, 'later-fifo.mp4'));
  execFileSync('mkfifo', [join(video, 'later-fifo.mp4')]);
  return {
    folder,
    datasetDir: realpathSync(datasetDir),
    project,
    swap: () => {
      unlinkSync(join(video, 'swap.mp4'));
      symlinkSync(join(outside, 'secret.mp4'), join(video, 'swap.mp4'));
    },
  };
}
