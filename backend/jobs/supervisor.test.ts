// The job supervisor for real: jobs run as detached processes of the built worker
// (dist/workers/job.cjs) on a real project; cancel takes the whole process tree; a job whose
// process died is marked failed with its log's tail, on open and when it dies under us.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../common/api/contract';
import { createProject, openProject, type WritableDB } from '../../db/connection';
import { insertJob, jobById, markJobRunning } from '../../db/jobs';
import { frustum, frustumJson } from '../../tests/support/cli';
import { tempDir } from '../../tests/support/tempDir';
import { isJobProcessAlive, jobLogPath, readJobLog, reconcileJobs } from './control';
import { createJobSupervisor, type JobSupervisor } from './supervisor';

const open: Array<{ supervisor: JobSupervisor; db: WritableDB }> = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const { supervisor, db } of open.splice(0)) {
    supervisor.close();
    db.close();
  }
});

function start(): { project: string; db: WritableDB; supervisor: JobSupervisor; events: Array<{ event: EventName; payload: unknown }> } {
  const project = join(tempDir(), 'jobs.frustum');
  createProject(project).close();
  const db = openProject(project);
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const supervisor = createJobSupervisor({ db, projectPath: project, emit: (event, payload) => events.push({ event, payload }), log: () => undefined });
  open.push({ supervisor, db });
  return { project, db, supervisor, events };
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Processes still in a process group (the job's ffmpeg and render threads' process included). */
function groupMembers(pgid: number): number[] {
  const result = spawnSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' });
  return result.stdout.split('\n').map((line) => Number(line.trim())).filter((pid) => pid > 0);
}

describe('the job supervisor', () => {
  it('runs a job in a process of its own, announcing its progress as it goes, and records what it made', async () => {
    const { supervisor, events, db } = start();
    const job = supervisor.start('synth', { count: 1, seed: 7 });
    expect(job.state).toBe('queued');
    const finished = await supervisor.finished(job.id);
    expect(finished.state, finished.error ?? '').toBe('succeeded');
    expect(finished.result).toMatchObject({ clips: 1 });
    const row = jobById(db, job.id);
    expect(row?.pid).not.toBe(process.pid);
    // Progress moved through the row while the frames rendered.
    const progress = events.filter((entry) => entry.event === 'job.progress').map((entry) => entry.payload as { done: number; total: number; state: string });
    expect(progress.some((entry) => entry.state === 'running' && entry.done > 0 && entry.done < entry.total)).toBe(true);
    expect(events.at(-1)).toEqual({ event: 'job.finished', payload: { jobId: job.id, kind: 'synth', state: 'succeeded', error: null } });
    const log = supervisor.log(job.id, 0, 1 << 20);
    expect(log.isFinal).toBe(true);
    expect(log.text).toMatch(/rendering into .*jobs-synth-7/);
    expect(log.text).toMatch(new RegExp(`job ${job.id} succeeded`));
    // Reading on from where the last read ended gives nothing new.
    expect(supervisor.log(job.id, log.offset, 1 << 20).text).toBe('');
  });

  it('cancels a job with its whole process tree', async () => {
    const { supervisor, db, project } = start();
    const job = supervisor.start('synth', { count: 40, seed: 8 });
    await until(() => jobById(db, job.id)?.state === 'running' && (jobById(db, job.id)?.progress_done ?? 0) > 0, 'the job to render frames');
    const pid = jobById(db, job.id)?.pid as number;
    expect(groupMembers(pid).length).toBeGreaterThan(0);
    const cancelled = await supervisor.cancel(job.id);
    expect(cancelled.state).toBe('cancelled');
    await until(() => groupMembers(pid).length === 0, 'the process group to be gone', 10_000);
    expect(isJobProcessAlive(pid, project)).toBe(false);
    // Cancelling an ended job changes nothing.
    expect((await supervisor.cancel(job.id)).state).toBe('cancelled');
  });

  it('marks a job whose process was killed failed, with the end of its log', async () => {
    const { supervisor, db } = start();
    const job = supervisor.start('synth', { count: 40, seed: 9 });
    // Killed once it has logged where it renders and rendered a frame (so its log has a tail to show).
    await until(() => jobById(db, job.id)?.state === 'running' && (jobById(db, job.id)?.progress_done ?? 0) > 0, 'the job to render frames');
    process.kill(-(jobById(db, job.id)?.pid as number), 'SIGKILL');
    const finished = await supervisor.finished(job.id);
    expect(finished.state).toBe('failed');
    expect(finished.error).toMatch(/is gone without finishing; the end of its log:\n[\s\S]*rendering into/);
  });

  it('on open, settles jobs whose process is gone (a crash, a reboot) and leaves live ones alone', () => {
    const folder = tempDir();
    const project = join(folder, 'p.frustum');
    const db = createProject(project);
    try {
      const dead = insertJob(db, { kind: 'analyze', title: 'analyze the project', params: '{}', logPathOf: (id) => jobLogPath(project, id) });
      mkdirSync(join(folder, 'p.jobs'), { recursive: true });
      writeFileSync(dead.log_path, 'starting\nanalyzed 3 of 9 clips\n');
      // A pid that existed and is gone now.
      const gone = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
      markJobRunning(db, dead.id, gone);
      // A live process that names the project (as a job's does) runs it; one that does not is a
      // reused pid (this test's own process stands in for one).
      const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', project], { stdio: 'ignore' });
      children.push(sleeper);
      const live = insertJob(db, { kind: 'analyze', title: 'analyze the project', params: '{}', logPathOf: (id) => jobLogPath(project, id) });
      markJobRunning(db, live.id, sleeper.pid as number);
      const reused = insertJob(db, { kind: 'analyze', title: 'analyze the project', params: '{}', logPathOf: (id) => jobLogPath(project, id) });
      markJobRunning(db, reused.id, process.pid);
      const queued = insertJob(db, { kind: 'analyze', title: 'analyze the project', params: '{}', logPathOf: (id) => jobLogPath(project, id) });
      expect(reconcileJobs(db, project)).toEqual([dead.id, reused.id]);
      expect(jobById(db, live.id)?.state).toBe('running');
      expect(jobById(db, dead.id)).toMatchObject({ state: 'failed', error: expect.stringMatching(/is gone without finishing; the end of its log:\nstarting\nanalyzed 3 of 9 clips/) });
      // Queued a moment ago, not yet started: given time to start.
      expect(jobById(db, queued.id)?.state).toBe('queued');
      expect(reconcileJobs(db, project, Date.now() + 60_000)).toEqual([queued.id]);
      expect(jobById(db, queued.id)?.error).toMatch(/never started/);
    } finally {
      db.close();
    }
  });

  it('reads a log only inside the project\'s jobs folder', () => {
    const folder = tempDir();
    const project = join(folder, 'p.frustum');
    const db = createProject(project);
    try {
      const job = insertJob(db, { kind: 'analyze', title: 'x', params: '{}', logPathOf: () => '/etc/passwd' });
      expect(() => readJobLog(job, project, 0, 1000)).toThrow(/outside/);
      const inside = insertJob(db, { kind: 'analyze', title: 'x', params: '{}', logPathOf: (id) => jobLogPath(project, id) });
      mkdirSync(join(folder, 'p.jobs'));
      writeFileSync(inside.log_path, 'héllo wörld\n');
      // A read that would end inside a two-byte character stops before it; the next one starts there.
      const first = readJobLog(inside, project, 0, 2);
      expect(first).toEqual({ text: 'h', offset: 1, size: 14 });
      expect(readJobLog(inside, project, first.offset, 100).text).toBe('éllo wörld\n');
    } finally {
      db.close();
    }
  });
});

describe('frustum jobs / logs / cancel', () => {
  it('lists, tails and cancels a job the studio started, from another process', async () => {
    const { supervisor, db, project } = start();
    const job = supervisor.start('synth', { count: 40, seed: 11 });
    await until(() => jobById(db, job.id)?.state === 'running', 'the job to start');
    const listed = frustumJson<{ jobs: Array<{ id: number; state: string; kind: string }> }>(['jobs', project]);
    expect(listed.code).toBe(0);
    expect(listed.json.jobs).toEqual([expect.objectContaining({ id: job.id, state: 'running', kind: 'synth' })]);
    expect(frustum(['jobs', project]).stdout).toMatch(new RegExp(`^${job.id}\\s+running`, 'm'));
    await until(() => frustum(['logs', project, String(job.id)]).stdout.includes('rendering into'), 'the log');
    // Following runs until the job ends; the cancel comes from a third process meanwhile.
    const following = spawnAsync(['logs', project, String(job.id), '-f']);
    const cancelled = frustum(['cancel', project, String(job.id)]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(/: cancelled$/m);
    const followed = await following;
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/SIGTERM: cancelling[\s\S]*cancelled/);
    expect(jobById(db, job.id)?.state).toBe('cancelled');
    const again = frustum(['cancel', project, String(job.id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already cancelled/);
    expect(frustum(['logs', project, '999']).stderr).toMatch(/no job 999/);
    expect(frustum(['cancel', project, 'x']).code).toBe(1);
  });
});

describe('frustum analyze PROJECT as a job of its own process', () => {
  it('records a succeeded analyze job with its log, and stops cancelled on `frustum cancel` from another process', async () => {
    const { supervisor, db, project } = start();
    const synth = await supervisor.finished(supervisor.start('synth', { count: 2, seed: 31 }).id);
    expect(synth.state, synth.error ?? '').toBe('succeeded');

    const analyzed = frustumJson<{ project: string; clips: { analyzed: number; failed: number } }>(['analyze', project]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    // The output is the analysis report, as it was before the command ran as a job.
    expect(analyzed.json).toMatchObject({ project, clips: { analyzed: 2, failed: 0 }, settings: { fovDegrees: 'auto', fps: 8, width: 320 } });
    type Listed = { jobs: Array<{ id: number; kind: string; state: string; title: string; result: { clips: { analyzed: number } } | null }> };
    const listed = frustumJson<Listed>(['jobs', project]).json.jobs;
    const job = listed.find((entry) => entry.kind === 'analyze');
    expect(job).toMatchObject({ state: 'succeeded', title: 'analyze the project', result: { clips: { analyzed: 2 } } });
    const log = frustum(['logs', project, String(job?.id)]).stdout;
    expect(log).toMatch(/settings: 8 fps, 320 px wide, field of view read from each clip/);
    expect(log).toMatch(/analyzed 2, reused 0, failed 0, not on disk 0/);
    expect(log).toMatch(new RegExp(`job ${job?.id} succeeded`));

    // A slow analysis (every clip again, large frames), cancelled from a third process while it runs.
    const running = spawnAsync(['analyze', project, '--force', '--fps', '25', '--width', '1280'], 'pipe');
    let jobId = 0;
    await until(() => {
      const row = db.prepare<[], { id: number; state: string }>("SELECT id, state FROM jobs WHERE kind = 'analyze' ORDER BY id DESC LIMIT 1").get();
      if (row && row.id !== job?.id && row.state === 'running') jobId = row.id;
      return jobId !== 0;
    }, 'the second analysis to run');
    const cancelled = frustum(['cancel', project, String(jobId)]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(/: cancelled$/m);
    const ended = await running;
    expect(ended.code).toBe(130);
    expect(ended.stderr).toMatch(new RegExp(`cancelled: job ${jobId} \\(analyze the project\\) was cancelled`));
    expect(ended.stdout).toBe('');
    expect(jobById(db, jobId)?.state).toBe('cancelled');
    expect(frustum(['logs', project, String(jobId)]).stdout).toMatch(/SIGTERM: cancelling[\s\S]*cancelled/);
  });
});

function spawnAsync(args: readonly string[], stderr: 'inherit' | 'pipe' = 'inherit'): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'frustum.js'), ...args], { stdio: ['ignore', 'pipe', stderr] });
    children.push(child);
    let stdout = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: errors }));
  });
}
