// A Ray cluster's Jobs REST API (the dashboard, http://HEAD:8265): submit an entrypoint, read
// its status and logs, stop it. What `ray job submit/status/logs/stop` do over HTTP; Frustum
// talks to it directly so no Ray install is needed on the studio's machine.
import { object, optional, string, type infer as Infer } from 'zod';
import { UsageError } from '../../common/errors';

export const RAY_FINAL_STATES = ['STOPPED', 'SUCCEEDED', 'FAILED'] as const;
const REQUEST_TIMEOUT_MS = 30_000;

const submitted = object({ submission_id: string(), job_id: optional(string().nullable()) });
const details = object({
  status: string(),
  message: optional(string().nullable()),
  error_type: optional(string().nullable()),
  submission_id: optional(string().nullable()),
});
const logs = object({ logs: string() });
export type RayJobDetails = Infer<typeof details>;

export interface RayJobsClient {
  /** POST /api/jobs/ → the submission id. */
  submit(job: { entrypoint: string; submissionId: string; envVars?: Record<string, string>; metadata?: Record<string, string> }): Promise<string>;
  status(submissionId: string): Promise<RayJobDetails>;
  /** The whole log so far (the API has no offset; the caller keeps what it has read). */
  logs(submissionId: string): Promise<string>;
  stop(submissionId: string): Promise<void>;
}

/** The dashboard's base URL, or a usage error naming what is wrong: checked before a job is made for it. */
export function rayDashboardUrl(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`--ray-address ${address}: not a URL; give the dashboard's address, e.g. http://HEAD:8265`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--ray-address ${address}: give the dashboard's http(s) address, e.g. http://HEAD:8265`);
  return url.href.replace(/\/+$/, '');
}

export function rayJobsClient(address: string): RayJobsClient {
  const base = rayDashboardUrl(address);

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Ray Jobs API ${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`Ray Jobs API ${method} ${path}: not JSON: ${text.slice(0, 200)}`);
    }
  };
  const jobPath = (submissionId: string) => `/api/jobs/${encodeURIComponent(submissionId)}`;

  return {
    async submit(job) {
      const answer = submitted.parse(await call('POST', '/api/jobs/', {
        entrypoint: job.entrypoint,
        submission_id: job.submissionId,
        runtime_env: { env_vars: job.envVars ?? {} },
        metadata: job.metadata ?? {},
      }));
      return answer.submission_id;
    },
    status: async (submissionId) => details.parse(await call('GET', jobPath(submissionId))),
    logs: async (submissionId) => logs.parse(await call('GET', `${jobPath(submissionId)}/logs`)).logs,
    async stop(submissionId) {
      await call('POST', `${jobPath(submissionId)}/stop`);
    },
  };
}

export function isRayFinal(status: string): boolean {
  return (RAY_FINAL_STATES as readonly string[]).includes(status);
}
