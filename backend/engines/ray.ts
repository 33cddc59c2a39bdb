// A Ray cluster's Jobs REST API (the dashboard, http://HEAD:8265): submit an entrypoint, read
// its status and logs, stop it. What `ray job submit/status/logs/stop` do over HTTP; Frustum
// talks to it directly so no Ray install is needed on the studio's machine.
import { object, optional, string, type infer as Infer } from 'zod';

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

export class RayJobsClient {
  readonly base: string;

  constructor(address: string) {
    const url = new URL(address);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--ray-address ${address}: give the dashboard's http(s) address, e.g. http://HEAD:8265`);
    this.base = url.href.replace(/\/+$/, '');
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
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
  }

  /** POST /api/jobs/ → the submission id. */
  async submit(job: { entrypoint: string; submissionId: string; envVars?: Record<string, string>; metadata?: Record<string, string> }): Promise<string> {
    const answer = submitted.parse(await this.call('POST', '/api/jobs/', {
      entrypoint: job.entrypoint,
      submission_id: job.submissionId,
      runtime_env: { env_vars: job.envVars ?? {} },
      metadata: job.metadata ?? {},
    }));
    return answer.submission_id;
  }

  async status(submissionId: string): Promise<RayJobDetails> {
    return details.parse(await this.call('GET', `/api/jobs/${encodeURIComponent(submissionId)}`));
  }

  /** The whole log so far (the API has no offset; the caller keeps what it has read). */
  async logs(submissionId: string): Promise<string> {
    return logs.parse(await this.call('GET', `/api/jobs/${encodeURIComponent(submissionId)}/logs`)).logs;
  }

  async stop(submissionId: string): Promise<void> {
    await this.call('POST', `/api/jobs/${encodeURIComponent(submissionId)}/stop`);
  }
}

export function isRayFinal(status: string): boolean {
  return (RAY_FINAL_STATES as readonly string[]).includes(status);
}
