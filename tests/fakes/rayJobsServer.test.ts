// The fake Ray Jobs server answers like a Ray dashboard and really runs the entrypoints.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir';
import { startFakeRayJobsServer, type FakeRayJobsServer, type RayJobDetails } from './rayJobsServer';

const servers: FakeRayJobsServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Parameters<typeof startFakeRayJobsServer>[0] = {}): Promise<FakeRayJobsServer> {
  const server = await startFakeRayJobsServer(options);
  servers.push(server);
  return server;
}

async function call(server: FakeRayJobsServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return { status: response.status, json: isJson ? JSON.parse(text) : null, text };
}

async function details(server: FakeRayJobsServer, id: string): Promise<RayJobDetails> {
  return (await call(server, 'GET', `/api/jobs/${id}`)).json as RayJobDetails;
}

describe('fake Ray Jobs server', () => {
  it('runs a submission to SUCCEEDED with its working_dir, env_vars and logs', async () => {
    const folder = tempDir();
    const workdir = join(folder, 'run');
    mkdirSync(workdir);
    const server = await start();
    const submitted = await call(server, 'POST', '/api/jobs/', {
      entrypoint: 'echo hi; echo "dir=$PWD foo=$FOO"; echo oops >&2; sleep 0.2',
      submission_id: 'frustum-run-1',
      runtime_env: { working_dir: workdir, env_vars: { FOO: 'bar' } },
      metadata: { project: 'demo' },
      entrypoint_num_gpus: 1,
    });
    expect(submitted).toMatchObject({ status: 200, json: { job_id: 'frustum-run-1', submission_id: 'frustum-run-1' } });

    await expect.poll(async () => (await details(server, 'frustum-run-1')).status).toBe('SUCCEEDED');
    const job = await details(server, 'frustum-run-1');
    expect(job).toMatchObject({
      type: 'SUBMISSION',
      submission_id: 'frustum-run-1',
      entrypoint: 'echo hi; echo "dir=$PWD foo=$FOO"; echo oops >&2; sleep 0.2',
      message: 'Job finished successfully.',
      error_type: null,
      metadata: { project: 'demo' },
      entrypoint_num_gpus: 1,
      driver_exit_code: 0,
    });
    expect(job.job_id).toMatch(/^[0-9a-f]{8}$/);
    expect(job.driver_info?.id).toBe(job.job_id);
    expect(job.end_time).toBeGreaterThanOrEqual(job.start_time ?? Infinity);
    const { json } = await call(server, 'GET', '/api/jobs/frustum-run-1/logs');
    expect((json as { logs: string }).logs).toBe(`hi\ndir=${workdir} foo=bar\noops\n`);
  });

  it('stops a running job and reports STOPPED', async () => {
    const server = await start({ cwd: tempDir() });
    const { json } = await call(server, 'POST', '/api/jobs/', { entrypoint: 'echo started; sleep 30' });
    const id = (json as { submission_id: string }).submission_id;
    expect(id).toMatch(/^raysubmit_[A-Za-z0-9]{16}$/);
    await expect.poll(async () => (await call(server, 'GET', `/api/jobs/${id}/logs`)).text).toContain('started');
    expect((await details(server, id)).status).toBe('RUNNING');

    expect((await call(server, 'POST', `/api/jobs/${id}/stop`)).json).toEqual({ stopped: true });
    await expect.poll(async () => (await details(server, id)).status).toBe('STOPPED');
    expect((await details(server, id)).message).toBe('Job was intentionally stopped.');
    expect((await call(server, 'POST', `/api/jobs/${id}/stop`)).json).toEqual({ stopped: false });
  });

  it('fails a job whose entrypoint exits non-zero, with the log tail in the message', async () => {
    const server = await start({ cwd: tempDir() });
    await call(server, 'POST', '/api/jobs/', { entrypoint: 'echo boom; exit 3', submission_id: 'bad' });
    await expect.poll(async () => (await details(server, 'bad')).status).toBe('FAILED');
    expect(await details(server, 'bad')).toMatchObject({
      error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
      driver_exit_code: 3,
      message: 'Job entrypoint command failed with exit code 3, last available logs (truncated to 20,000 chars):\nboom\n',
    });
  });

  it('answers errors as Ray does and lists and deletes jobs', async () => {
    const server = await start({ cwd: tempDir(), pendingMs: 60_000 });
    expect((await call(server, 'POST', '/api/jobs/', { runtime_env: {} })).status).toBe(400);
    await call(server, 'POST', '/api/jobs/', { entrypoint: 'true', submission_id: 'once' });
    const again = await call(server, 'POST', '/api/jobs/', { entrypoint: 'true', submission_id: 'once' });
    expect(again).toMatchObject({ status: 400, text: 'Job with submission_id once already exists. Please use a different submission_id.' });
    expect((await call(server, 'GET', '/api/jobs/missing')).status).toBe(404);
    expect((await call(server, 'GET', '/api/jobs')).status).toBe(404);

    expect(await details(server, 'once')).toMatchObject({ status: 'PENDING', job_id: null, driver_info: null });
    expect((await call(server, 'DELETE', '/api/jobs/once')).status).toBe(400);
    expect((await call(server, 'POST', '/api/jobs/once/stop')).json).toEqual({ stopped: true });
    expect((await details(server, 'once')).status).toBe('STOPPED');
    expect(((await call(server, 'GET', '/api/jobs/')).json as RayJobDetails[]).map((job) => job.submission_id)).toEqual(['once']);
    expect(server.submissions().map((job) => job.status)).toEqual(['STOPPED']);
    expect((await call(server, 'DELETE', '/api/jobs/once')).json).toEqual({ deleted: true });
    expect((await call(server, 'GET', '/api/jobs/')).json).toEqual([]);
  });

  it('fails a job whose working_dir is not a local folder', async () => {
    const server = await start();
    await call(server, 'POST', '/api/jobs/', { entrypoint: 'true', submission_id: 'remote', runtime_env: { working_dir: 'gcs://_ray_pkg_abc.zip' } });
    await expect.poll(async () => (await details(server, 'remote')).status).toBe('FAILED');
    expect((await details(server, 'remote')).error_type).toBe('RUNTIME_ENV_SETUP_FAILED');
  });
});
