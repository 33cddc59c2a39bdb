// A small real project for the studio's tests: 30 SFT samples over two real clips (made with
// ffmpeg; each frame's gray level says its index, see backend/media/testClips.ts), imported
// and probed with the same code the CLI runs. One project is built per test file (a few
// hundred ms) and copied per test, so tests never share writes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFiles } from '../../backend/formats/importFiles';
import { resolveFfmpeg } from '../../backend/media/ffmpeg';
import { probeProjectClips } from '../../backend/media/probeProject';
import { createProject } from '../../db/connection';
import { syntheticSft } from '../fixtures/syntheticDatasets';

export const STUDIO_CLIP_FRAMES = 30;
export const STUDIO_SAMPLES = 30;

/** Builds the project in `folder`; returns its path. */
export async function buildStudioProject(folder: string): Promise<string> {
  const { ffmpeg } = await resolveFfmpeg();
  mkdirSync(join(folder, 'video'), { recursive: true });
  for (const name of ['sft_0.mp4', 'sft_1.mp4']) {
    execFileSync(
      ffmpeg.path,
      ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', "color=c=black:s=64x48:r=25:d=1.2,format=gray,geq=lum='16+N*8'",
        '-c:v', 'libx264', '-crf', '12', '-bf', '3', '-g', '10', '-pix_fmt', 'yuv420p', join(folder, 'video', name)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  }
  const dataset = join(folder, 'sft.json');
  writeFileSync(dataset, JSON.stringify(syntheticSft({ count: STUDIO_SAMPLES, seed: 404 }), null, 2));
  return createImportedProject(join(folder, 'studio.frustum'), dataset);
}

/** A new project at `project` with `dataset` imported and its clips probed, by the code the CLI runs. */
export async function createImportedProject(project: string, dataset: string): Promise<string> {
  const db = createProject(project);
  try {
    importFiles(db, [dataset]);
    await probeProjectClips(db);
  } finally {
    db.close();
  }
  return project;
}

/** A private copy of a built project (the file is closed, so the WAL is checkpointed into it). */
export function copyProject(project: string, folder: string): string {
  const copy = join(folder, 'copy.frustum');
  copyFileSync(project, copy);
  return copy;
}
