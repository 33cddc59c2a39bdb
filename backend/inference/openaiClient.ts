// One chat completion against an OpenAI-compatible server (vLLM serving CamReasoner-7B), always
// streamed: deltas reach the caller as they arrive (the Inspect view shows them live), and the
// whole text, finish_reason, usage and per-token logprobs come back at the end. Failures that
// another try can fix (429, 5xx, refused connections, a stream cut short, a stalled server) are
// retried from scratch with backoff; the caller's delta consumer is told to throw away what it
// was shown first. The API key is read from the environment variable the caller names, at
// request time, and never kept.
import { chatCompletionChunk, describeIssues, serverErrorOf, type ServerError, type WireTokenLogprob } from './chatSchema';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfterMs, type RetryPolicy } from './retryPolicy';
import { createSseParser } from './sse';

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'video_url'; video_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export interface ChatCompletionRequest {
  /** The server: http://host:8000, …/v1 or the full …/v1/chat/completions. */
  endpoint: string;
  model: string;
  messages: ChatMessage[];
  /** CamReasoner's eval_bench.py: 0.0 (greedy). */
  temperature?: number;
  /** CamReasoner's eval_bench.py: 8192. */
  maxTokens?: number;
  /** Alternatives per generated token; logprobs are asked for only when this is set (0 = the chosen token's own). */
  topLogprobs?: number;
  /** Further body fields (top_k, seed, mm_processor_kwargs…); the fields above win over them. */
  extraBody?: Record<string, unknown>;
  /** The NAME of the environment variable holding the API key; the key itself never passes through here. */
  apiKeyEnv?: string;
}

export interface ChatTimeouts {
  /** Until the response headers: connecting and the server accepting the request (vLLM answers headers before prefill). */
  connectMs: number;
  /** From the headers to the first event: the prefill of up to 64 frames. */
  firstByteMs: number;
  /** Between two reads once the stream has started: a stalled server or a half-open socket. */
  idleMs: number;
  /** The whole call, retries and waits included. */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: ChatTimeouts = { connectMs: 30_000, firstByteMs: 600_000, idleMs: 120_000, totalMs: 3_600_000 };

export interface ChatResetInfo {
  /** The try that failed after showing deltas. */
  attempt: number;
  reason: string;
}

export interface ChatStreamOptions {
  signal?: AbortSignal;
  /** Each piece of content as it arrives, in order. */
  onDelta?: (delta: string) => void;
  /** The deltas shown so far are void: the request starts again from scratch. */
  onReset?: (info: ChatResetInfo) => void;
  retry?: Partial<RetryPolicy>;
  timeouts?: Partial<ChatTimeouts>;
  /** Where apiKeyEnv is looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
}

export interface TokenLogprob extends TopLogprob {
  topLogprobs: TopLogprob[];
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface ChatCompletionResult {
  id: string | null;
  model: string | null;
  text: string;
  finishReason: string;
  /** null when the server sent no usage chunk. */
  usage: ChatUsage | null;
  /** One entry per generated token; null when topLogprobs was not asked for. */
  tokens: TokenLogprob[] | null;
  /** Tries it took, the successful one included. */
  attempts: number;
}

export type ChatFailureKind = 'http' | 'connection' | 'dropped' | 'timeout' | 'server' | 'malformed' | 'config';

/** A chat completion that did not complete; the message names the URL, the tries and the last cause. */
export class ChatCompletionError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly kind: ChatFailureKind,
    /** The last HTTP status, or null when no response came (or the failure came inside a 200 stream). */
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'ChatCompletionError';
  }
}

/** The chat completions URL of an endpoint given as a host, a /v1 base or the full path. */
export function chatCompletionsUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${endpoint}: not an http(s) URL`);
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/chat/completions')) url.pathname = path;
  else if (path.endsWith('/v1')) url.pathname = `${path}/chat/completions`;
  else url.pathname = `${path}/v1/chat/completions`;
  return url.href;
}

/** The JSON body sent; exported so a run can store the exact request settings. */
export function chatRequestBody(request: ChatCompletionRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...request.extraBody,
    model: request.model,
    messages: request.messages,
    temperature: request.temperature ?? 0,
    max_tokens: request.maxTokens ?? 8192,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.topLogprobs !== undefined) {
    body.logprobs = true;
    body.top_logprobs = request.topLogprobs;
  }
  return body;
}

function requestHeaders(request: ChatCompletionRequest, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (request.apiKeyEnv !== undefined) {
    const key = env[request.apiKeyEnv];
    if (key === undefined || key === '') throw new ChatCompletionError(`The API key variable ${request.apiKeyEnv} is not set in the environment`, chatCompletionsUrl(request.endpoint), 'config', null, 0);
    headers.authorization = `Bearer ${key}`;
  }
  return headers;
}

interface AttemptFailure {
  kind: ChatFailureKind;
  status: number | null;
  detail: string;
  isRetryable: boolean;
  retryAfterMs: number | null;
  /** Deltas reached the caller before the failure. */
  hasShownDeltas: boolean;
}

type AttemptOutcome = { ok: true; result: Omit<ChatCompletionResult, 'attempts'> } | { ok: false; failure: AttemptFailure };

interface AttemptContext {
  url: string;
  body: string;
  headers: Record<string, string>;
  wantsLogprobs: boolean;
  timeouts: ChatTimeouts;
  /** Aborted by the caller or by the total deadline: never retried. */
  callSignal: AbortSignal;
  onDelta: ((delta: string) => void) | undefined;
}

const ERROR_BODY_CHARS = 2_000;

function describeServerError(error: ServerError): string {
  return error.type === null ? error.message : `${error.type}: ${error.message}`;
}

function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}

function toTokenLogprob(entry: WireTokenLogprob): TokenLogprob {
  return {
    token: entry.token,
    logprob: entry.logprob,
    bytes: entry.bytes ?? null,
    topLogprobs: (entry.top_logprobs ?? []).map((top) => ({ token: top.token, logprob: top.logprob, bytes: top.bytes ?? null })),
  };
}

async function httpFailure(response: Response): Promise<AttemptFailure> {
  let text = '';
  try {
    text = (await response.text()).slice(0, ERROR_BODY_CHARS);
  } catch {
    // The reason is in the status; a body cut short adds nothing.
  }
  let detail = text.trim();
  try {
    const serverError = serverErrorOf(JSON.parse(text));
    if (serverError !== null) detail = describeServerError(serverError);
  } catch {
    // Not JSON (a proxy's HTML page): keep the text as it is.
  }
  return {
    kind: 'http',
    status: response.status,
    detail: `HTTP ${response.status}${detail === '' ? '' : ` (${detail})`}`,
    isRetryable: isRetryableStatus(response.status),
    retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
    hasShownDeltas: false,
  };
}

async function attemptOnce(context: AttemptContext): Promise<AttemptOutcome> {
  const timer = new AbortController();
  let timeoutDetail: string | null = null;
  let handle: ReturnType<typeof setTimeout> | undefined;
  const arm = (detail: string, ms: number): void => {
    clearTimeout(handle);
    if (!Number.isFinite(ms) || ms <= 0) return;
    handle = setTimeout(() => {
      timeoutDetail = `${detail} within ${ms} ms`;
      timer.abort(new Error(timeoutDetail));
    }, ms);
  };
  const signal = AbortSignal.any([context.callSignal, timer.signal]);
  let hasShownDeltas = false;
  const failure = (kind: ChatFailureKind, detail: string, isRetryable: boolean, status: number | null = null): AttemptOutcome => ({
    ok: false,
    failure: { kind, status, detail, isRetryable, retryAfterMs: null, hasShownDeltas },
  });
  // Something thrown while the request or its stream was open: the caller's abort goes up as it
  // is; our own timers and the network are failures another try may fix.
  const thrown = (error: unknown, whileStreaming: boolean): AttemptOutcome => {
    if (context.callSignal.aborted) throw context.callSignal.reason;
    if (timeoutDetail !== null) return failure('timeout', `no ${timeoutDetail}`, true);
    return failure(whileStreaming ? 'dropped' : 'connection', `${whileStreaming ? 'stream dropped: ' : ''}${describeThrown(error)}`, true);
  };

  arm('response headers', context.timeouts.connectMs);
  try {
    let response: Response;
    try {
      response = await fetch(context.url, { method: 'POST', headers: context.headers, body: context.body, signal });
    } catch (error) {
      return thrown(error, false);
    }
    if (!response.ok) {
      arm('error body', context.timeouts.idleMs);
      return { ok: false, failure: await httpFailure(response) };
    }
    if (response.body === null) return failure('dropped', 'HTTP 200 with no body', true, response.status);

    arm('first event', context.timeouts.firstByteMs);
    const reader = response.body.getReader();
    const parser = createSseParser();
    let text = '';
    let id: string | null = null;
    let model: string | null = null;
    let finishReason: string | null = null;
    let usage: ChatUsage | null = null;
    const tokens: TokenLogprob[] = [];
    let chunkCount = 0;
    let isDone = false;

    // One event's data; returns a failure to end the attempt with, or null to go on.
    const handleEvent = (data: string): AttemptOutcome | null => {
      if (data === '[DONE]') {
        isDone = true;
        return null;
      }
      chunkCount += 1;
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return failure('malformed', `chunk ${chunkCount} is not JSON: ${JSON.stringify(data.slice(0, 200))}`, false, response.status);
      }
      // vLLM reports an engine failure inside a 200 stream as an error event, then [DONE].
      const serverError = serverErrorOf(json);
      if (serverError !== null) {
        const code = typeof serverError.code === 'number' ? serverError.code : null;
        return failure('server', `error event in the stream: ${describeServerError(serverError)}`, code === null || isRetryableStatus(code), code);
      }
      const parsed = chatCompletionChunk.safeParse(json);
      if (!parsed.success) return failure('malformed', `chunk ${chunkCount} is not a chat.completion.chunk: ${describeIssues(parsed.error)}`, false, response.status);
      const chunk = parsed.data;
      id ??= chunk.id;
      model ??= chunk.model;
      if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens ?? 0, totalTokens: chunk.usage.total_tokens };
      const choice = chunk.choices.find((candidate) => candidate.index === 0);
      if (choice === undefined) return null;
      for (const entry of choice.logprobs?.content ?? []) tokens.push(toTokenLogprob(entry));
      const content = choice.delta.content;
      if (content) {
        text += content;
        hasShownDeltas = true;
        context.onDelta?.(content);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
      return null;
    };

    try {
      while (!isDone) {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (error) {
          return thrown(error, true);
        }
        arm('data from the server', context.timeouts.idleMs);
        const events = read.done ? parser.end() : parser.push(read.value);
        for (const data of events) {
          const outcome = handleEvent(data);
          if (outcome !== null) return outcome;
          if (isDone) break;
        }
        if (read.done) break;
      }
    } finally {
      if (!isDone) void reader.cancel().catch(() => undefined);
    }
    if (!isDone) return failure('dropped', `stream ended after ${chunkCount} chunks without [DONE]`, true, response.status);
    if (finishReason === null) return failure('malformed', `stream ended with [DONE] but no chunk carried a finish_reason (${chunkCount} chunks)`, false, response.status);
    return {
      ok: true,
      result: { id, model, text, finishReason, usage, tokens: context.wantsLogprobs ? tokens : null },
    };
  } finally {
    clearTimeout(handle);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs one chat completion, streamed, retrying what can be retried. Rejects with the caller's
 * abort reason when `signal` aborts, else with a ChatCompletionError.
 */
export async function streamChatCompletion(request: ChatCompletionRequest, options: ChatStreamOptions = {}): Promise<ChatCompletionResult> {
  const url = chatCompletionsUrl(request.endpoint);
  const merged: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const policy: RetryPolicy = { ...merged, attempts: Math.max(1, Math.floor(merged.attempts)) };
  const timeouts: ChatTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const deadline = new AbortController();
  const deadlineHandle = setTimeout(() => deadline.abort(new Error('total')), timeouts.totalMs);
  const callSignal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  const context: AttemptContext = {
    url,
    body: JSON.stringify(chatRequestBody(request)),
    headers: requestHeaders(request, options.env ?? process.env),
    wantsLogprobs: request.topLogprobs !== undefined,
    timeouts,
    callSignal,
    onDelta: options.onDelta,
  };
  let attempt = 0;
  let last: AttemptFailure | null = null;
  try {
    for (attempt = 1; attempt <= policy.attempts; attempt += 1) {
      const outcome = await attemptOnce(context);
      if (outcome.ok) return { ...outcome.result, attempts: attempt };
      last = outcome.failure;
      if (!last.isRetryable || attempt === policy.attempts) break;
      if (last.hasShownDeltas) options.onReset?.({ attempt, reason: last.detail });
      await sleep(backoffDelayMs(policy, attempt + 1, last.retryAfterMs), callSignal);
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (deadline.signal.aborted) {
      const lastCause = last === null ? '' : `; last: ${last.detail}`;
      throw new ChatCompletionError(`POST ${url} timed out after ${timeouts.totalMs} ms (${attempt} ${attempt === 1 ? 'try' : 'tries'}${lastCause})`, url, 'timeout', last?.status ?? null, attempt);
    }
    throw error;
  } finally {
    clearTimeout(deadlineHandle);
  }
  // The loop runs at least once (attempts ≥ 1) and leaves only after a failure.
  const failed = last as AttemptFailure;
  const tries = Math.min(attempt, policy.attempts);
  const giveUp = failed.isRetryable ? `gave up after ${tries} ${tries === 1 ? 'try' : 'tries'}` : `failed (not retried, try ${tries})`;
  throw new ChatCompletionError(`POST ${url} ${giveUp}: ${failed.detail}`, url, failed.kind, failed.status, tries);
}
