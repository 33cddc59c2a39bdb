// FAKE Ray Jobs server: the REST API of a Ray cluster's dashboard (`/api/jobs/…`, as served by
// ray/dashboard/modules/job/job_head.py) for tests of Frustum's remote training launcher. Jobs run
// on this machine: the entrypoint goes to `bash -c` in runtime_env.working_dir (a local folder
// here; Ray would unpack an uploaded package) or the `cwd` option, with runtime_env.env_vars over
// the environment, its stdout and stderr captured as the job's log. Statuses, messages, error
// types and the JSON shapes follow Ray's JobDetails; times are Unix milliseconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RayJobStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';

export interface RayDriverInfo {
  id: string;
  node_ip_address: string;
  pid: string;
}

/** ray.job_submission.JobDetails as GET /api/jobs/{id} returns it. */
export interface RayJobDetails {
  type: 'SUBMISSION';
  job_id: string | null;
  submission_id: string;
  driver_info: RayDriverInfo | null;
  status: RayJobStatus;
  entrypoint: string;
  message: string | null;
  error_type: string | null;
  start_time: number | null;
  end_time: number | null;
  metadata: Record<string, string> | null;
  runtime_env: Record<string, unknown> | null;
  driver_agent_http_address: string | null;
  driver_node_id: string | null;
  driver_exit_code: number | null;
  entrypoint_num_cpus: number | null;
  entrypoint_num_gpus: number | null;
  entrypoint_memory: number | null;
  entrypoint_resources: Record<string, number> | null;
}

export interface FakeRayJobsServerOptions {
  /** Where entrypoints run when runtime_env has no working_dir (default: this process's cwd). */
  cwd?: string;
  /** Environment under runtime_env.env_vars (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** How long a job stays PENDING before it starts (default 0: the next turn of the event loop). */
  pendingMs?: number;
  /** How long a stopped job gets between SIGTERM and SIGKILL (Ray: RAY_JOB_STOP_WAIT_TIME_S, 3 s). */
  stopGraceMs?: number;
}

export interface FakeRayJobsServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** Kills running jobs and closes the server. */
  close(): Promise<void>;
  /** Every job submitted so far, as GET /api/jobs/ would list it. */
  submissions(): RayJobDetails[];
}

const TERMINAL: ReadonlySet<RayJobStatus> = new Set(['STOPPED', 'SUCCEEDED', 'FAILED']);
const NODE_ID = randomBytes(28).toString('hex');
const LOG_TAIL_CHARS = 20_000;

interface Job {
  details: RayJobDetails;
  logs: string;
  child: ChildProcess | null;
  stopRequested: boolean;
  /** Stops a job that has not started yet; null once it has. */
  cancelPending: (() => void) | null;
  exited: Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Ray's generate_job_id: "raysubmit_" and 16 letters or digits. */
function submissionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `raysubmit_${Array.from(randomBytes(16), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, `Failed to parse request body as JSON: ${text.slice(0, 200)}`);
  }
}

function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function optionalNumber(body: Record<string, unknown>, key: string): number | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw new HttpError(400, `${key} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

/** JobSubmitRequest's validation (parse_and_validate_request answers 400 with the reason). */
function parseSubmission(raw: unknown): Omit<RayJobDetails, 'type' | 'job_id' | 'driver_info' | 'status' | 'message' | 'error_type' | 'start_time' | 'end_time' | 'driver_agent_http_address' | 'driver_node_id' | 'driver_exit_code'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new HttpError(400, 'Request body must be a JSON object');
  const body = raw as Record<string, unknown>;
  if (typeof body['entrypoint'] !== 'string') throw new HttpError(400, "JobSubmitRequest: 'entrypoint' is required and must be a string");
  const requested = body['submission_id'] ?? body['job_id'];
  if (requested !== undefined && requested !== null && typeof requested !== 'string') throw new HttpError(400, 'submission_id must be a string');
  const runtimeEnv = body['runtime_env'] ?? null;
  if (runtimeEnv !== null && (typeof runtimeEnv !== 'object' || Array.isArray(runtimeEnv))) throw new HttpError(400, 'runtime_env must be a dict');
  const metadata = body['metadata'] ?? null;
  if (metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) throw new HttpError(400, 'metadata must be a dict');
  return {
    submission_id: typeof requested === 'string' ? requested : submissionId(),
    entrypoint: body['entrypoint'],
    metadata: metadata as Record<string, string> | null,
    runtime_env: runtimeEnv as Record<string, unknown> | null,
    entrypoint_num_cpus: optionalNumber(body, 'entrypoint_num_cpus'),
    entrypoint_num_gpus: optionalNumber(body, 'entrypoint_num_gpus'),
    entrypoint_memory: optionalNumber(body, 'entrypoint_memory'),
    entrypoint_resources: (body['entrypoint_resources'] as Record<string, number> | undefined) ?? null,
  };
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
}

export async function startFakeRayJobsServer(options: FakeRayJobsServerOptions = {}): Promise<FakeRayJobsServer> {
  const jobs = new Map<string, Job>();
  const stopGraceMs = options.stopGraceMs ?? 3000;
  let driverCounter = 0;

  function find(id: string): Job {
    const job = jobs.get(id) ?? [...jobs.values()].find((candidate) => candidate.details.job_id === id);
    if (!job) throw new HttpError(404, `Job ${id} does not exist`);
    return job;
  }

  function finish(job: Job, status: RayJobStatus, message: string, errorType: string | null = null): void {
    Object.assign(job.details, { status, message, error_type: errorType, end_time: Date.now() });
  }

  function onExit(job: Job, code: number | null, signal: NodeJS.Signals | null): void {
    // Python's Popen.returncode: the negative signal number for a signal.
    const exitCode = code ?? -(signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 1);
    job.details.driver_exit_code = exitCode;
    if (job.stopRequested) finish(job, 'STOPPED', 'Job was intentionally stopped.');
    else if (exitCode === 0) finish(job, 'SUCCEEDED', 'Job finished successfully.');
    else {
      const tail = job.logs.slice(-LOG_TAIL_CHARS);
      finish(job, 'FAILED', `Job entrypoint command failed with exit code ${exitCode}, last available logs (truncated to 20,000 chars):\n${tail}`, 'JOB_ENTRYPOINT_COMMAND_ERROR');
    }
  }

  function workingDirectory(job: Job): string | null {
    const workingDir = job.details.runtime_env?.['working_dir'];
    if (workingDir === undefined || workingDir === null) return options.cwd ?? process.cwd();
    if (typeof workingDir === 'string' && existsSync(workingDir) && statSync(workingDir).isDirectory()) return workingDir;
    return null;
  }

  function start(job: Job, resolve: () => void): void {
    job.cancelPending = null;
    const cwd = workingDirectory(job);
    if (cwd === null) {
      finish(job, 'FAILED', `runtime_env setup failed: working_dir ${JSON.stringify(job.details.runtime_env?.['working_dir'])} is not a local folder (the fake Ray server runs jobs in place)`, 'RUNTIME_ENV_SETUP_FAILED');
      resolve();
      return;
    }
    const env = { ...(options.env ?? process.env), ...stringRecord(job.details.runtime_env?.['env_vars']) };
    // Its own process group, so that stopping the job reaches everything the entrypoint started;
    // stderr joins stdout in one pipe, in order, as Ray's Popen(stderr=STDOUT) into the log file.
    const child = spawn('bash', ['-c', `exec 2>&1\n${job.details.entrypoint}`], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    job.child = child;
    driverCounter += 1;
    const driverId = driverCounter.toString(16).padStart(2, '0').padEnd(8, '0');
    Object.assign(job.details, {
      status: 'RUNNING',
      message: 'Job is currently running.',
      start_time: Date.now(),
      job_id: driverId,
      driver_info: { id: driverId, node_ip_address: '127.0.0.1', pid: String(child.pid ?? '') },
      driver_agent_http_address: 'http://127.0.0.1:52365',
      driver_node_id: NODE_ID,
    });
    const append = (chunk: Buffer) => {
      job.logs += chunk.toString('utf8');
    };
    child.stdout?.on('data', append);
    child.on('error', (error) => {
      job.logs += `${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      job.child = null;
      onExit(job, code, signal);
      resolve();
    });
  }

  function submit(raw: unknown): { job_id: string; submission_id: string } {
    const submission = parseSubmission(raw);
    if (jobs.has(submission.submission_id)) {
      throw new HttpError(400, `Job with submission_id ${submission.submission_id} already exists. Please use a different submission_id.`);
    }
    const job: Job = {
      details: {
        type: 'SUBMISSION',
        job_id: null,
        driver_info: null,
        status: 'PENDING',
        message: 'Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom resources) to become available. It may be waiting for the runtime environment to be set up.',
        error_type: null,
        start_time: null,
        end_time: null,
        driver_agent_http_address: null,
        driver_node_id: null,
        driver_exit_code: null,
        ...submission,
      },
      logs: '',
      child: null,
      stopRequested: false,
      cancelPending: null,
      exited: Promise.resolve(),
    };
    job.exited = new Promise<void>((resolve) => {
      const timer = setTimeout(() => start(job, resolve), options.pendingMs ?? 0);
      job.cancelPending = () => {
        job.cancelPending = null;
        clearTimeout(timer);
        finish(job, 'STOPPED', 'Job was intentionally stopped.');
        resolve();
      };
    });
    jobs.set(submission.submission_id, job);
    return { job_id: submission.submission_id, submission_id: submission.submission_id };
  }

  function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  function stop(job: Job): { stopped: boolean } {
    if (TERMINAL.has(job.details.status)) return { stopped: false };
    job.stopRequested = true;
    job.cancelPending?.();
    const child = job.child;
    if (child) {
      signalGroup(child, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), stopGraceMs);
      child.once('close', () => clearTimeout(killer));
    }
    return { stopped: true };
  }

  function remove(job: Job): { deleted: boolean } {
    if (!TERMINAL.has(job.details.status)) {
      throw new HttpError(400, `Attempted to delete job with submission_id ${job.details.submission_id}, but it is in a non-terminal state ${job.details.status}.`);
    }
    jobs.delete(job.details.submission_id);
    return { deleted: true };
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const method = request.method ?? 'GET';
    if (method === 'GET' && path === '/api/version') {
      return sendJson(response, { version: '4', ray_version: '2.49.1', ray_commit: 'fake', session_name: 'session_fake' });
    }
    // Ray's routes: the collection needs its trailing slash ("Don't forget the trailing slash!").
    if (path === '/api/jobs/') {
      if (method === 'POST') return sendJson(response, submit(await readJson(request)));
      if (method === 'GET') return sendJson(response, [...jobs.values()].map((job) => ({ ...job.details })));
    }
    const match = /^\/api\/jobs\/([^/]+)(\/logs|\/stop)?$/.exec(path);
    if (match) {
      const job = find(decodeURIComponent(match[1] ?? ''));
      const action = match[2];
      if (method === 'GET' && action === undefined) return sendJson(response, { ...job.details });
      if (method === 'GET' && action === '/logs') return sendJson(response, { logs: job.logs });
      if (method === 'POST' && action === '/stop') return sendJson(response, stop(job));
      if (method === 'DELETE' && action === undefined) return sendJson(response, remove(job));
    }
    throw new HttpError(404, '404: Not Found');
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    submissions: () => [...jobs.values()].map((job) => ({ ...job.details })),
    async close() {
      for (const job of jobs.values()) {
        job.stopRequested = true;
        job.cancelPending?.();
        if (job.child) signalGroup(job.child, 'SIGKILL');
      }
      await Promise.all([...jobs.values()].map((job) => job.exited));
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
