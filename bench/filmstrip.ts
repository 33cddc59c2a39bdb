// Frame cache speed (issue #3): building a 10 s 720p clip's filmstrip from cold (probe, hash,
// packet scan and sprites, into an empty cache) against an `ffmpeg -f null` decode of the same
// clip, interleaved in one run. Prints JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrameCache, resolveFfmpeg } from '../backend/media/index';

const work = mkdtempSync(join(tmpdir(), 'frustum-filmstrip-'));
try {
  const ffmpeg = (await resolveFfmpeg()).ffmpeg.path;
  const clip = join(work, 'clip-720p.mp4');
  execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=10', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-y', clip]);
  const decode: number[] = [];
  const strip: number[] = [];
  const runs = 7;
  for (let run = 0; run < runs + 1; run++) {
    let started = performance.now();
    execFileSync(ffmpeg, ['-v', 'error', '-i', clip, '-f', 'null', '-']);
    const decodeMs = performance.now() - started;
    const cache = createFrameCache({ root: join(work, `cache-${run}`) });
    started = performance.now();
    await cache.filmstrip(clip);
    const stripMs = performance.now() - started;
    if (run > 0) {
      decode.push(decodeMs);
      strip.push(stripMs);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  process.stdout.write(JSON.stringify({ decodeMs: median(decode), filmstripMs: median(strip) }) + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
