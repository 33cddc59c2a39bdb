// Tiny clips for the media tests, made with the real ffmpeg in a temporary folder. Frames
// of the "numbered" clips are flat gray with level 16 + 8 × frame index, so a decoded pixel
// says which frame it came from (H.264 at this quality keeps flat levels within ±2).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from './ffmpeg';

export const NUMBERED_FRAMES = 30;

/** The frame index a decoded gray/RGB level stands for. */
export function frameNumberOf(level: number): number {
  return Math.round((level - 16) / 8);
}

export interface TestClips {
  folder: string;
  /** 30 frames, 25 fps, 64×48, H.264 with B-frames, no audio. */
  numbered: string;
  /** Same frames in MPEG-TS (no index: decoded from the start). */
  numberedTs: string;
  /** 30 numbered frames, 40 ms apart for the first 10, then 80 ms. */
  variableRate: string;
  /** 64×48 stored, rotated 90° for display, with audio. */
  rotated: string;
  corrupt: string;
  truncated: string;
  truncatedFastStart: string;
  empty: string;
  audioOnly: string;
  text: string;
  still: string;
  directory: string;
  missing: string;
  remove(): void;
}

const NUMBERED_FILTER = "format=gray,geq=lum='16+N*8'";

export async function makeTestClips(): Promise<TestClips> {
  const { ffmpeg } = await resolveFfmpeg();
  const folder = mkdtempSync(join(tmpdir(), 'frustum-media-'));
  const path = (name: string): string => join(folder, name);
  const run = (...args: string[]): void => {
    execFileSync(ffmpeg.path, ['-nostdin', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const h264 = ['-c:v', 'libx264', '-crf', '12', '-bf', '3', '-g', '10', '-pix_fmt', 'yuv420p'];
  run('-f', 'lavfi', '-i', `color=c=black:s=64x48:r=25:d=1.2,${NUMBERED_FILTER}`, ...h264, path('numbered.mp4'));
  run('-i', path('numbered.mp4'), '-c', 'copy', path('numbered.ts'));
  run(
    '-f', 'lavfi', '-i', `color=c=black:s=64x48:r=25:d=1.2,settb=1/1000,setpts='(N*40+gte(N\\,10)*(N-10)*40)/1000/TB',${NUMBERED_FILTER}`,
    ...h264, '-vsync', 'vfr', path('variable.mp4'),
  );
  run('-f', 'lavfi', '-i', 'testsrc2=s=64x48:r=25:d=0.4', '-f', 'lavfi', '-i', 'sine=d=0.4', '-c:v', 'libx264', '-c:a', 'aac', '-shortest', path('upright.mp4'));
  // Rotation by metadata on a stream copy: ffmpeg writes it as the display matrix.
  run('-i', path('upright.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', path('rotated.mp4'));
  run('-f', 'lavfi', '-i', 'sine=d=0.5', '-c:a', 'aac', path('audio.m4a'));
  run('-f', 'lavfi', '-i', 'testsrc2=s=64x48', '-frames:v', '1', path('still.png'));
  run('-i', path('numbered.mp4'), '-c', 'copy', '-movflags', '+faststart', path('faststart.mp4'));

  const numbered = readFileSync(path('numbered.mp4'));
  // The index (moov) is at the end: half a file has none.
  writeFileSync(path('truncated.mp4'), numbered.subarray(0, Math.floor(numbered.length / 2)));
  // With the index first, a cut file still describes frames it no longer holds.
  const fastStart = readFileSync(path('faststart.mp4'));
  writeFileSync(path('truncated-faststart.mp4'), fastStart.subarray(0, Math.floor(fastStart.length * 0.6)));
  writeFileSync(path('corrupt.mp4'), randomBytes(8192));
  writeFileSync(path('empty.mp4'), '');
  writeFileSync(path('notes.txt'), 'these are notes, not a video\n'.repeat(20));
  mkdirSync(path('folder.mp4'));

  return {
    folder,
    numbered: path('numbered.mp4'),
    numberedTs: path('numbered.ts'),
    variableRate: path('variable.mp4'),
    rotated: path('rotated.mp4'),
    corrupt: path('corrupt.mp4'),
    truncated: path('truncated.mp4'),
    truncatedFastStart: path('truncated-faststart.mp4'),
    empty: path('empty.mp4'),
    audioOnly: path('audio.m4a'),
    text: path('notes.txt'),
    still: path('still.png'),
    directory: path('folder.mp4'),
    missing: path('absent.mp4'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------------------------
// Camera moves over ffmpeg's own test patterns: clips our renderer did not make (issue #3,
// "Done means"), with a known motion. A still frame of a lavfi source is the "world"; a
// 480×272 window moves over it (pan), narrows about its centre and is scaled back up (zoom), or
// stays put (still). Two sources: the Mandelbrot set (detail only along its boundary, on one
// side of the frame) and a rule-30 cellular automaton blown up to 8-pixel blocks (corners
// everywhere).

export const PATTERN_SOURCES = ['mandelbrot', 'cellauto'] as const;
export type PatternSource = (typeof PATTERN_SOURCES)[number];
export const PATTERN_MOTIONS = ['pan-right', 'zoom-in', 'still'] as const;
export type PatternMotion = (typeof PATTERN_MOTIONS)[number];

/** The window's speed for 'pan-right': pixels of the 1280-wide pattern per second (12.5 % of the window's width). */
export const PATTERN_PAN_PIXELS_PER_SECOND = 60;
/** The window narrows so the content grows by this fraction of its size per second for 'zoom-in'. */
export const PATTERN_ZOOM_PER_SECOND = 0.15;

const PATTERN_IMAGES: Record<PatternSource, string> = {
  mandelbrot: 'mandelbrot=s=1280x720',
  // Frame 120: the automaton has filled the 90 rows; a fixed seed keeps it the same every run.
  cellauto: 'cellauto=s=160x90:rule=30:random_fill_ratio=0.5:random_seed=7,select=eq(n\\,120),scale=1280:720:flags=neighbor',
};

function patternFilter(motion: PatternMotion): string {
  switch (motion) {
    case 'pan-right':
      // The window slides right, so the content drifts left: what a camera panning right sees.
      return `crop=480:272:x='100+t*${PATTERN_PAN_PIXELS_PER_SECOND}':y=200`;
    case 'zoom-in': {
      // Scale the whole pattern up over time and keep the centre window: every point moves away
      // from the centre by the same factor. crop's in_w is fixed when the filter is configured,
      // so the window's position is computed from t, not from in_w.
      const grow = `(1+${PATTERN_ZOOM_PER_SECOND}*t)`;
      return `scale=w='trunc(1280*${grow}/2)*2':h='trunc(720*${grow}/2)*2':eval=frame,crop=480:272:x='(1280*${grow}-480)/2':y='(720*${grow}-272)/2'`;
    }
    case 'still':
      return 'crop=480:272:x=400:y=220';
  }
}

/**
 * Renders `${source}-${motion}.mp4` (480×272, 25 fps, H.264) into `folder` and returns its
 * path; the pattern image is made once per folder.
 */
export async function makePatternClip(folder: string, source: PatternSource, motion: PatternMotion, seconds = 2): Promise<string> {
  const { ffmpeg } = await resolveFfmpeg();
  const run = (...args: string[]): void => {
    execFileSync(ffmpeg.path, ['-nostdin', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const image = join(folder, `${source}.png`);
  if (!existsSync(image)) run('-f', 'lavfi', '-i', PATTERN_IMAGES[source], '-frames:v', '1', image);
  const clip = join(folder, `${source}-${motion}.mp4`);
  run(
    '-loop', '1', '-framerate', '25', '-i', image, '-t', String(seconds),
    '-vf', `${patternFilter(motion)},format=yuv420p`, '-c:v', 'libx264', '-crf', '18', clip,
  );
  return clip;
}
