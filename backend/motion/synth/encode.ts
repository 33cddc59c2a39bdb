// Raw RGB24 frames piped to ffmpeg's stdin, out comes an H.264 mp4 that every player, the
// frame cache and CamReasoner's 1 fps sampler read. spawn rather than fluent-ffmpeg: a stdin
// pipe with backpressure is all that is needed, and its exit code and stderr tell what failed.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';

export interface EncoderOptions {
  output: string;
  width: number;
  height: number;
  fps: number;
  /** From backend/media resolveFfmpeg: system first, then the bundled build. */
  ffmpegPath: string;
}

export interface Encoder {
  /** Resolves when ffmpeg has taken the frame (waits for the pipe to drain). */
  write(frame: Uint8Array): Promise<void>;
  /** Closes the input and waits for ffmpeg to finish the file. */
  finish(): Promise<void>;
  /** Kills ffmpeg and removes the partial file. */
  abort(): Promise<void>;
}

/** ffmpeg arguments; exported so a test can check the encoding contract without encoding. */
export function encoderArguments({ output, width, height, fps }: EncoderOptions): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p',
    // A keyframe every half second keeps frame-exact seeking cheap for the review screen.
    '-g', String(Math.max(1, Math.round(fps / 2))),
    // Clips are small and many run at once: one encoder thread each, and no timestamps or
    // encoder tags in the file, so the same frames give the same bytes.
    '-threads', '1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1',
    '-movflags', '+faststart', '-an', '-y', output,
  ];
}

export function startEncoder(options: EncoderOptions): Encoder {
  if (options.width % 2 !== 0 || options.height % 2 !== 0) {
    throw new Error(`yuv420p needs even dimensions, got ${options.width}x${options.height}`);
  }
  const child = spawn(options.ffmpegPath, encoderArguments(options), { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  // A broken pipe surfaces through the exit code below, with ffmpeg's own message.
  child.stdin.on('error', () => {});
  const failure = (code: number | null) => new Error(`ffmpeg failed (exit ${code}) writing ${options.output}: ${stderr.trim() || 'no message'}`);

  return {
    async write(frame) {
      if (child.exitCode !== null) throw failure(child.exitCode);
      if (!child.stdin.write(frame)) {
        await Promise.race([once(child.stdin, 'drain'), exited.then((code) => Promise.reject(failure(code)))]);
      }
    },
    async finish() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw failure(code);
    },
    async abort() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited.catch(() => null);
      await rm(options.output, { force: true });
    },
  };
}
