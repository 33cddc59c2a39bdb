import { describe, expect, it } from 'vitest';
import { checkCandidate, resolveFfmpeg, toolCandidates } from './ffmpeg';
import { createLimiter, mapPool } from './pool';
import { errorSummary, ProcessTimeoutError, runningProcessCount, runProcess } from './process';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ffmpeg generating frames in real time, forever: only a kill ends it.
const ENDLESS = ['-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=s=32x32', '-f', 'null', '-'];

describe('runProcess', () => {
  it('kills the process when cancelled', async () => {
    const { ffmpeg } = await resolveFfmpeg();
    const controller = new AbortController();
    let pid = 0;
    const running = runProcess(ffmpeg.path, ENDLESS, {
      timeoutMs: 60_000,
      signal: controller.signal,
      onSpawn: (started) => {
        pid = started;
        setImmediate(() => controller.abort());
      },
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(runningProcessCount()).toBe(0);
  });

  it('kills the process at its deadline', async () => {
    const { ffmpeg } = await resolveFfmpeg();
    let pid = 0;
    const running = runProcess(ffmpeg.path, ENDLESS, { timeoutMs: 300, onSpawn: (started) => (pid = started) });
    await expect(running).rejects.toBeInstanceOf(ProcessTimeoutError);
    expect(isAlive(pid)).toBe(false);
  });

  it('reports a program that does not exist', async () => {
    await expect(runProcess('/nonexistent/ffmpeg', [], { timeoutMs: 5000 })).rejects.toThrow(/ENOENT/);
  });

  it('summarises stderr without addresses or the path', () => {
    const stderr = '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d5] moov atom not found\n/v/a.mp4: Invalid data found when processing input\n';
    expect(errorSummary(stderr, '/v/a.mp4')).toBe('moov atom not found; Invalid data found when processing input');
  });
});

describe('pool', () => {
  it('runs at most `concurrency` tasks at once, all of them', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let most = 0;
    const task = async (value: number): Promise<number> => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      return value * 2;
    };
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((value) => limit(() => task(value))));
    expect(results).toEqual([2, 4, 6, 8, 10, 12]);
    expect(most).toBe(2);
    expect(limit.active()).toBe(0);
  });

  it('maps in order with progress, and stops starting work when aborted', async () => {
    let most = 0;
    let active = 0;
    const progress: number[] = [];
    const results = await mapPool(
      [3, 1, 2, 5, 4],
      async (value) => {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
        return value;
      },
      { concurrency: 3, onProgress: (done) => progress.push(done) },
    );
    expect(results).toEqual([3, 1, 2, 5, 4]);
    expect(most).toBe(3);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5]);

    const controller = new AbortController();
    let started = 0;
    const aborted = mapPool([1, 2, 3, 4], async () => {
      started++;
      controller.abort();
    }, { concurrency: 1, signal: controller.signal });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toBe(1);
  });
});

describe('resolveFfmpeg', () => {
  it('finds a working ffmpeg and ffprobe, and knows the bundled ones', async () => {
    const tools = await resolveFfmpeg();
    for (const tool of [tools.ffmpeg, tools.ffprobe]) {
      expect(tool.version).toMatch(/\S/);
      expect(tool.startupMs).toBeGreaterThan(0);
      expect(['environment', 'system', 'bundled']).toContain(tool.source);
    }
    expect(await resolveFfmpeg()).toBe(tools);
    // The bundled binary is a candidate (under 'environment' when FRUSTUM_FFPROBE names it).
    expect(toolCandidates('ffprobe').some((candidate) => candidate.path.includes('@ffprobe-installer'))).toBe(true);
    expect(await checkCandidate('ffmpeg', { path: '/nonexistent/ffmpeg', source: 'environment' })).toMatchObject({ isWorking: false });
  });
});
