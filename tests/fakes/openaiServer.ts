// FAKE OpenAI-compatible server: vLLM's `vllm serve` HTTP API (vllm/entrypoints/openai/
// serving_chat.py and protocol.py, 0.12) for tests of Frustum's inference client. No model runs:
// each answer is scripted per request. The wire format is vLLM's: `POST /v1/chat/completions`
// non-streaming JSON or `stream: true` SSE (a role chunk with content "", one chunk per token,
// a chunk with finish_reason, a usage chunk when stream_options.include_usage, `data: [DONE]`),
// logprobs as ChatCompletionLogProbs, errors as ErrorResponse {"error": {message, type, param,
// code}}, and `GET /v1/models`. Failures (429 with Retry-After, 5xx, a stream cut mid-way, a
// malformed chunk, an error event inside the stream) are injected one per request, in order.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTopLogprob {
  token: string;
  logprob: number;
}

export interface FakeToken {
  token: string;
  /** Default 0 (certain). */
  logprob?: number;
  /** The alternatives, best first; the first `top_logprobs` are sent. Default: the token itself. */
  topLogprobs?: FakeTopLogprob[];
}

export interface FakeReply {
  /** Split into tokens by a rough word-piece rule (see tokenize) unless `tokens` is given. */
  text?: string;
  tokens?: FakeToken[];
  /** Default 'stop'; 'length' anyway when max_tokens cuts the reply. */
  finishReason?: 'stop' | 'length';
}

export type FakeFailure =
  /** An HTTP error before any streaming, in vLLM's error envelope. */
  | { kind: 'status'; status: number; message?: string; retryAfter?: string }
  /** The connection is destroyed after this many SSE events (the role chunk counts). */
  | { kind: 'drop'; afterEvents: number }
  /** `data: <data>` is sent in place of event number afterEvents + 1, then the stream goes on. */
  | { kind: 'raw'; afterEvents: number; data: string }
  /** vLLM's in-stream failure: an error event, then [DONE] (serving_chat.py create_streaming_error_response). */
  | { kind: 'streamError'; afterEvents: number; message?: string; code?: number };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the request body is whatever the client sent
export type FakeChatBody = Record<string, any>;

export interface FakeOpenAIServerOptions {
  /** The served model name (vllm serve --served-model-name). Default 'CamReasoner-7B'. */
  model?: string;
  /** The answer to request number `index` (0-based, chat requests only). Default: "<answer>B</answer>". */
  reply?: (body: FakeChatBody, index: number) => string | FakeReply;
  /** Pause before each SSE event after the first, in ms (the model's pacing). Default 0. */
  chunkDelayMs?: number;
  /** Write each SSE event in pieces of this many bytes, each flushed and a macrotask apart, so reads split mid-line and mid-UTF-8. */
  writeBytes?: number;
  /** Failures for the next chat requests, one each, in order; null = answer normally. */
  failures?: (FakeFailure | null)[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401 (vllm serve --api-key). */
  apiKey?: string;
}

export interface FakeRecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, or null for none / not JSON. */
  body: FakeChatBody | null;
  /** Every raw SSE event this request was sent, `data: …\n\n` included, in order. */
  events: string[];
  /** When each event began to be written (ms since the epoch, sub-millisecond: performance.timeOrigin + now). */
  eventTimes: number[];
  /** The client closed the connection before the response finished. */
  isClosedEarly: boolean;
  /** Resolves when the response has finished or the connection closed. */
  settled: Promise<void>;
}

export interface FakeOpenAIServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** url + '/v1', what OpenAI clients call the base URL. */
  baseUrl: string;
  requests: FakeRecordedRequest[];
  /** Queues more failures after those not yet used. */
  inject(...failures: (FakeFailure | null)[]): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = { 400: 'BadRequestError', 401: 'Unauthorized', 404: 'NotFoundError', 429: 'RateLimitError', 500: 'InternalServerError', 503: 'ServiceUnavailableError' };
// vLLM's --max-logprobs default.
const MAX_LOGPROBS = 20;

// A rough stand-in for Qwen's byte-level BPE: words with their leading space, single digits,
// runs of whitespace, "<", "</" and ">" apart (so `<answer>B</answer>` gives "<", "answer", ">",
// "B", "</", "answer", ">"). It covers every character, so the tokens always join to the text.
const TOKEN_PATTERN = / ?\p{L}+| ?\p{N}|\s+|<\/?|>|[^\s\p{L}\p{N}<>]+/gu;

export function tokenize(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

function errorBody(status: number, message: string): string {
  return JSON.stringify({ error: { message, type: ERROR_TYPES[status] ?? 'InternalServerError', param: null, code: status } });
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(errorBody(status, message));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function bytesOf(token: string): number[] {
  return Array.from(Buffer.from(token, 'utf8'));
}

function replyTokens(reply: string | FakeReply): { tokens: FakeToken[]; finishReason: 'stop' | 'length' } {
  const scripted = typeof reply === 'string' ? { text: reply } : reply;
  const tokens = scripted.tokens ?? tokenize(scripted.text ?? '').map((token) => ({ token }));
  return { tokens, finishReason: scripted.finishReason ?? 'stop' };
}

function promptTokenCount(body: FakeChatBody): number {
  // Not Qwen's count: 4 per message for the chat template, the text's tokens, 256 per image part.
  let count = 0;
  for (const message of body.messages as { content: unknown }[]) {
    count += 4;
    const parts = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as { type: string; text?: string }[]);
    for (const part of parts) count += part.type === 'text' ? tokenize(part.text ?? '').length : 256;
  }
  return count;
}

/** ChatCompletionLogProbsContent for one token, top_logprobs cut to k. */
function logprobEntry(token: FakeToken, k: number): Record<string, unknown> {
  const logprob = token.logprob ?? 0;
  const top = token.topLogprobs ?? [{ token: token.token, logprob }];
  return {
    token: token.token,
    logprob,
    bytes: bytesOf(token.token),
    top_logprobs: top.slice(0, k).map((entry) => ({ token: entry.token, logprob: entry.logprob, bytes: bytesOf(entry.token) })),
  };
}

/** The reason a body is refused (vLLM answers 400), or null. */
function validate(body: FakeChatBody): string | null {
  if (typeof body.model !== 'string') return "[{'type': 'missing', 'loc': ('body', 'model'), 'msg': 'Field required'}]";
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "[{'type': 'missing', 'loc': ('body', 'messages'), 'msg': 'Field required'}]";
  if (body.top_logprobs !== undefined && body.top_logprobs !== null) {
    if (body.logprobs !== true) return 'when using `top_logprobs`, `logprobs` must be set to true.';
    if (typeof body.top_logprobs !== 'number' || body.top_logprobs < 0) return '`top_logprobs` must be a positive value.';
    if (body.top_logprobs > MAX_LOGPROBS) return `Requested sample logprobs of ${body.top_logprobs}, which is greater than max allowed: ${MAX_LOGPROBS}`;
  }
  return null;
}

export async function startFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const model = options.model ?? 'CamReasoner-7B';
  const reply = options.reply ?? (() => '<answer>B</answer>');
  const failures = [...(options.failures ?? [])];
  const requests: FakeRecordedRequest[] = [];
  const created = Math.floor(Date.now() / 1000);
  let chatCount = 0;

  async function answerChat(body: FakeChatBody, record: FakeRecordedRequest, response: ServerResponse): Promise<void> {
    const index = chatCount;
    chatCount += 1;
    const failure = failures.shift() ?? null;
    if (failure?.kind === 'status') {
      sendError(response, failure.status, failure.message ?? `injected HTTP ${failure.status}`, failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter });
      return;
    }
    const { tokens: allTokens, finishReason: scriptedFinish } = replyTokens(reply(body, index));
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : Infinity;
    const tokens = allTokens.slice(0, maxTokens);
    const finishReason = tokens.length < allTokens.length ? 'length' : scriptedFinish;
    const wantsLogprobs = body.logprobs === true;
    const k = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
    const id = `chatcmpl-${randomBytes(16).toString('hex')}`;
    const promptTokens = promptTokenCount(body);
    const usage = { prompt_tokens: promptTokens, total_tokens: promptTokens + tokens.length, completion_tokens: tokens.length };
    const text = tokens.map((token) => token.token).join('');

    if (body.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({
        id, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
        choices: [{
          index: 0,
          message: { role: 'assistant', content: text, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], reasoning_content: null },
          logprobs: wantsLogprobs ? { content: tokens.map((token) => logprobEntry(token, k)) } : null,
          finish_reason: finishReason,
          stop_reason: null,
        }],
        service_tier: null, system_fingerprint: null,
        usage: { ...usage, prompt_tokens_details: null },
        prompt_logprobs: null, kv_transfer_params: null,
      }));
      return;
    }

    // serving_chat.py dumps each chunk with exclude_unset (so logprobs/finish_reason: null are
    // there, having been set) and the usage chunk with exclude_none too.
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
      JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices, ...extra });
    const payloads: string[] = [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])];
    for (const token of tokens) {
      payloads.push(chunk([{ index: 0, delta: { content: token.token }, logprobs: wantsLogprobs ? { content: [logprobEntry(token, k)] } : null, finish_reason: null }]));
    }
    payloads.push(chunk([{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: finishReason, stop_reason: null }]));
    if (body.stream_options?.include_usage === true) payloads.push(chunk([], { usage }));
    payloads.push('[DONE]');

    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    for (let eventIndex = 0; eventIndex < payloads.length; eventIndex += 1) {
      if (record.isClosedEarly) return;
      if (eventIndex > 0 && (options.chunkDelayMs ?? 0) > 0) await sleep(options.chunkDelayMs ?? 0);
      if (failure !== null && failure.afterEvents === eventIndex) {
        if (failure.kind === 'drop') {
          response.destroy();
          return;
        }
        if (failure.kind === 'raw') {
          await write(response, record, `data: ${failure.data}\n\n`);
          continue;
        }
        const code = failure.code ?? 500;
        await write(response, record, `data: ${errorBody(code, failure.message ?? 'injected engine error')}\n\n`);
        await write(response, record, 'data: [DONE]\n\n');
        response.end();
        return;
      }
      await write(response, record, `data: ${payloads[eventIndex]}\n\n`);
    }
    response.end();
  }

  async function write(response: ServerResponse, record: FakeRecordedRequest, event: string): Promise<void> {
    if (record.isClosedEarly) return;
    record.events.push(event);
    record.eventTimes.push(performance.timeOrigin + performance.now());
    const bytes = Buffer.from(event, 'utf8');
    const step = options.writeBytes ?? bytes.length;
    for (let offset = 0; offset < bytes.length; offset += step) {
      // Waiting for each write to be flushed keeps a later injected drop from discarding it.
      await new Promise<void>((resolve) => response.write(bytes.subarray(offset, offset + step), () => resolve()));
      // A macrotask apart (after the flush above), so the pieces tend to reach the client as separate reads.
      if (step < bytes.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, record: FakeRecordedRequest): Promise<void> {
    const text = await readBody(request);
    try {
      record.body = text.trim() === '' ? null : (JSON.parse(text) as FakeChatBody);
    } catch {
      record.body = null;
      if (request.method === 'POST') return sendError(response, 400, `Expecting value: line 1 column 1 (char 0)`);
    }
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'Unauthorized' })); // vLLM's api-key middleware's exact body
      return;
    }
    if (request.method === 'GET' && record.path === '/v1/models') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({
        object: 'list',
        data: [{ id: model, object: 'model', created, owned_by: 'vllm', root: model, parent: null, max_model_len: 81920, permission: [] }],
      }));
      return;
    }
    if (request.method === 'POST' && record.path === '/v1/chat/completions') {
      const body = record.body ?? {};
      const invalid = validate(body);
      if (invalid !== null) return sendError(response, 400, invalid);
      if (body.model !== model) return sendError(response, 404, `The model \`${String(body.model)}\` does not exist.`);
      return answerChat(body, record, response);
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ detail: 'Not Found' })); // FastAPI's unknown-route body
  }

  const server = createServer((request, response) => {
    let markSettled = (): void => undefined;
    const record: FakeRecordedRequest = {
      method: request.method ?? 'GET',
      path: new URL(request.url ?? '/', 'http://127.0.0.1').pathname,
      headers: request.headers,
      body: null,
      events: [],
      eventTimes: [],
      isClosedEarly: false,
      settled: new Promise<void>((resolve) => (markSettled = resolve)),
    };
    requests.push(record);
    response.on('close', () => {
      if (!response.writableFinished) record.isClosedEarly = true;
      markSettled();
    });
    handle(request, response, record).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, String(error));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    inject: (...more) => void failures.push(...more),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
