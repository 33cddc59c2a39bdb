// The one door every host goes through (Electron IPC, the web mode's WebSocket, the in-process
// client): look the method up in the contract, validate the request, run the handler under a
// timeout, log slow calls by name (STYLE.md §8, after Signal's 40 ms query log), validate the
// response, and turn any failure into an ApiError a renderer can show. Hosts never call
// handlers directly, so no transport can skip a check.
import { ApiError, METHODS, timeoutOf, type ApiErrorCode, type ApiHandlers, type MethodName } from '../../common/api/contract';
import { damagedProjectError, InputError, ProjectError } from '../../common/errors';
import { isBusyError, retryWhileBusy } from '../../db/writers';

export type CallOutcome = { ok: true; response: unknown } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** Calls slower than this are logged with their name and duration. */
export const SLOW_CALL_MS = 100;

export interface DispatchOptions {
  /** Override the contract's per-method limits (tests). */
  timeoutMs?: (method: MethodName) => number;
  slowCallMs?: number;
  log?: (line: string) => void;
}

/** Maps anything a handler throws to the contract's error codes; unknown errors are bugs ('internal'), logged with their stack. */
export function toApiError(error: unknown, method: string, log?: (line: string) => void): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InputError) return new ApiError('bad-request', error.message);
  if (error instanceof ProjectError) return new ApiError('unavailable', error.message);
  // A damaged page surfaces from any query; the file's state, not a bug: say which file and how to check it.
  const damage = damagedProjectError(error);
  if (damage !== null) return new ApiError('unavailable', damage.message);
  const code = (error as { code?: unknown } | null)?.code;
  if (isBusyError(error) || code === 'SQLITE_LOCKED') {
    return new ApiError('unavailable', `${method}: the project is busy (another program is writing to it); try again`);
  }
  log?.(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new ApiError('internal', `${method}: ${error instanceof Error ? error.message : String(error)}`);
}

function describeIssues(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(request)'}: ${issue.message}`)
    .join('; ');
}

function isMethod(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

/** Validates, runs and checks one call. Never throws: every failure is an outcome. */
export async function dispatch(handlers: ApiHandlers, method: string, request: unknown, options: DispatchOptions = {}): Promise<CallOutcome> {
  const fail = (error: ApiError): CallOutcome => ({ ok: false, error: { code: error.code, message: error.message } });
  if (!isMethod(method)) return fail(new ApiError('bad-request', `unknown method ${JSON.stringify(method.slice(0, 100))}`));
  const schema = METHODS[method];
  const parsed = schema.request.safeParse(request);
  if (!parsed.success) return fail(new ApiError('bad-request', `${method}: ${describeIssues(parsed.error)}`));
  const limit = options.timeoutMs?.(method) ?? timeoutOf(method);
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const handler = handlers[method] as (request: unknown) => unknown;
    const response = await Promise.race([
      // Another program (`frustum import`, a job) may hold the project's write lock for seconds;
      // the studio's connection waits only a moment for it, on the thread that answers every
      // call, so a call that found the project busy is tried again, without blocking, within
      // its limit. Safe to rerun: its failed write wrote nothing (db/writers.ts).
      Promise.resolve().then(() => retryWhileBusy(() => handler(parsed.data), started + limit)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ApiError('timeout', `${method} did not finish within ${Math.round(limit / 1000)} s`)), limit);
      }),
    ]);
    const checked = schema.response.safeParse(response);
    if (!checked.success) {
      // A response that breaks the contract is our bug, not the caller's: say so and log it.
      return fail(toApiError(new Error(`response does not match the contract: ${describeIssues(checked.error)}`), method, options.log));
    }
    return { ok: true, response: checked.data };
  } catch (error) {
    return fail(toApiError(error, method, options.log));
  } finally {
    clearTimeout(timer);
    const elapsed = performance.now() - started;
    if (elapsed > (options.slowCallMs ?? SLOW_CALL_MS)) options.log?.(`slow call: ${method} took ${Math.round(elapsed)} ms`);
  }
}
