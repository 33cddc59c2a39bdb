import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, tokenize, type FakeOpenAIServer, type FakeOpenAIServerOptions } from '../../tests/fakes/openaiServer';
import { answerOptionProbabilities, answerYesProbability } from './answerProbability';
import { ChatCompletionError, chatCompletionsUrl, streamChatCompletion, type ChatCompletionRequest, type ChatStreamOptions, type TokenLogprob } from './openaiClient';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfterMs } from './retryPolicy';
import { createSseParser } from './sse';

const CHAIN = '<observation>The frames drift left.</observation>\n<think>A pan.</think>\n<answer>B</answer>';
const OPTIONS = ['A. No', 'B. Yes'];
// Retries in tests wait a millisecond, not half a second.
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 2 };

let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  server = await startFakeOpenAIServer(options);
  return server;
}

function request(fake: FakeOpenAIServer, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return { endpoint: fake.url, model: 'CamReasoner-7B', messages: [{ role: 'user', content: [{ type: 'text', text: 'Does the camera pan left?' }] }], ...extra };
}

async function complete(fake: FakeOpenAIServer, extra: Partial<ChatCompletionRequest> = {}, options: ChatStreamOptions = {}) {
  const deltas: string[] = [];
  const resets: string[] = [];
  const result = await streamChatCompletion(request(fake, extra), {
    retry: FAST_RETRY,
    onDelta: (delta) => deltas.push(delta),
    onReset: (info) => resets.push(info.reason),
    ...options,
  });
  return { result, deltas, resets };
}

describe('streamChatCompletion against the fake vLLM server', () => {
  it('streams deltas in order, returns the full text, finish_reason and usage, and sends CamReasoner settings', async () => {
    const fake = await start({ reply: () => CHAIN });
    const { result, deltas, resets } = await complete(fake);
    expect(deltas.join('')).toBe(CHAIN);
    expect(deltas.length).toBeGreaterThan(10);
    expect(result).toMatchObject({ text: CHAIN, finishReason: 'stop', attempts: 1, model: 'CamReasoner-7B', tokens: null });
    expect(result.usage).toEqual({ promptTokens: expect.any(Number), completionTokens: deltas.length, totalTokens: result.usage!.promptTokens + deltas.length });
    expect(resets).toEqual([]);
    expect(fake.requests[0]!.body).toEqual({
      model: 'CamReasoner-7B',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Does the camera pan left?' }] }],
      temperature: 0,
      max_tokens: 8192,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("the fake sends vLLM's exact chunk sequence: role, deltas, finish, usage, [DONE]", async () => {
    const fake = await start({ reply: () => '<answer>B</answer>' });
    await complete(fake);
    const events = fake.requests[0]!.events;
    expect(events.every((event) => event.startsWith('data: ') && event.endsWith('\n\n'))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]\n\n');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)) as Record<string, unknown>);
    const id = chunks[0]!.id as string;
    expect(id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    const head = (choices: unknown[]) => ({ id, object: 'chat.completion.chunk', created: expect.any(Number), model: 'CamReasoner-7B', choices });
    const delta = (content: string) => head([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]);
    expect(chunks).toEqual([
      head([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
      ...['<', 'answer', '>', 'B', '</', 'answer', '>'].map(delta),
      head([{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop', stop_reason: null }]),
      { ...head([]), usage: { prompt_tokens: expect.any(Number), total_tokens: expect.any(Number), completion_tokens: 7 } },
    ]);
  });

  it('returns per-token logprobs and P(Yes) from the answer token', async () => {
    const fake = await start({
      reply: () => ({
        tokens: [
          { token: '<think>' }, { token: 'pan' }, { token: '</think>' }, { token: '<' }, { token: 'answer' }, { token: '>' },
          { token: 'B', logprob: Math.log(0.6), topLogprobs: [{ token: 'B', logprob: Math.log(0.6) }, { token: 'A', logprob: Math.log(0.3) }, { token: ' B', logprob: Math.log(0.05) }, { token: 'The', logprob: Math.log(0.05) }] },
          { token: '</' }, { token: 'answer' }, { token: '>' },
        ],
      }),
    });
    const { result } = await complete(fake, { topLogprobs: 5 });
    expect(fake.requests[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 5 });
    expect(result.tokens).toHaveLength(10);
    expect(result.tokens![6]).toEqual({ token: 'B', logprob: Math.log(0.6), bytes: [66], topLogprobs: expect.arrayContaining([{ token: 'A', logprob: Math.log(0.3), bytes: [65] }]) });
    expect(answerYesProbability(result.tokens, OPTIONS)).toBeCloseTo(0.65 / 0.95, 10);
    expect(answerYesProbability(result.tokens, ['A. Yes', 'B. No'])).toBeCloseTo(0.3 / 0.95, 10);
  });

  it('reassembles text split mid-line and mid-UTF-8 across reads', async () => {
    const text = 'Café — the 🎥 pans 向左. <answer>B</answer>';
    const fake = await start({ reply: () => text, writeBytes: 3 });
    const { result, deltas } = await complete(fake);
    expect(result.text).toBe(text);
    expect(deltas.join('')).toBe(text);
  });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    const fake = await start({ reply: () => CHAIN, failures: [{ kind: 'status', status: 429, retryAfter: '0.25' }] });
    const started = performance.now();
    const { result, resets } = await complete(fake);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(result).toMatchObject({ text: CHAIN, attempts: 2 });
    expect(resets).toEqual([]); // nothing was shown before the 429
  });

  it('retries two 500s, then succeeds', async () => {
    const fake = await start({ reply: () => CHAIN, failures: [{ kind: 'status', status: 500 }, { kind: 'status', status: 500 }] });
    const { result } = await complete(fake);
    expect(result).toMatchObject({ text: CHAIN, attempts: 3 });
    expect(fake.requests).toHaveLength(3);
  });

  it('restarts a dropped stream from scratch and tells the delta consumer to reset', async () => {
    const fake = await start({ reply: () => CHAIN, failures: [{ kind: 'drop', afterEvents: 5 }] });
    let shown = '';
    const resets: string[] = [];
    const result = await streamChatCompletion(request(fake), {
      retry: FAST_RETRY,
      onDelta: (delta) => (shown += delta),
      onReset: (info) => {
        resets.push(info.reason);
        shown = '';
      },
    });
    expect(resets).toHaveLength(1);
    expect(resets[0]).toMatch(/stream dropped|without \[DONE\]/);
    expect(shown).toBe(CHAIN);
    expect(result).toMatchObject({ text: CHAIN, attempts: 2 });
  });

  it('retries an error event inside the stream (vLLM engine failure)', async () => {
    const fake = await start({ reply: () => CHAIN, failures: [{ kind: 'streamError', afterEvents: 3, message: 'EngineCore died' }] });
    const { result, resets } = await complete(fake);
    expect(result.attempts).toBe(2);
    expect(resets[0]).toContain('InternalServerError: EngineCore died');
  });

  it('gives up after N tries with an error naming the URL and the last status', async () => {
    const fake = await start({ failures: [503, 503, 503].map((status) => ({ kind: 'status' as const, status, message: 'overloaded' })) });
    const error = await streamChatCompletion(request(fake), { retry: { ...FAST_RETRY, attempts: 3 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChatCompletionError);
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 3, url: `${fake.url}/v1/chat/completions` });
    expect((error as Error).message).toBe(`POST ${fake.url}/v1/chat/completions gave up after 3 tries: HTTP 503 (ServiceUnavailableError: overloaded)`);
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a 4xx other than 408/429', async () => {
    const fake = await start();
    const error = await streamChatCompletion(request(fake, { model: 'nope' }), { retry: FAST_RETRY }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'http', status: 404, attempts: 1 });
    expect((error as Error).message).toContain('NotFoundError: The model `nope` does not exist.');
  });

  it('stops when aborted mid-stream, closing the connection instead of reading the rest', async () => {
    const fake = await start({ reply: () => CHAIN, chunkDelayMs: 200 });
    const controller = new AbortController();
    let deltas = 0;
    const pending = streamChatCompletion(request(fake), {
      signal: controller.signal,
      onDelta: () => {
        deltas += 1;
        controller.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await fake.requests[0]!.settled;
    // The server saw the client go away before it had sent the whole reply, and the client read no further.
    expect(fake.requests[0]!.isClosedEarly).toBe(true);
    expect(deltas).toBeLessThan(tokenize(CHAIN).length);
  });

  it('fails clearly, without retrying, on a malformed chunk', async () => {
    const bad = JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 5 } }] });
    const fake = await start({ failures: [{ kind: 'raw', afterEvents: 2, data: bad }] });
    const error = await streamChatCompletion(request(fake), { retry: FAST_RETRY }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'malformed', attempts: 1 });
    expect((error as Error).message).toMatch(/chunk 3 is not a chat\.completion\.chunk: choices\.0\.delta\.content: .*string.*number/);

    fake.inject({ kind: 'raw', afterEvents: 1, data: '{"id": "x", oops' });
    const notJson = await streamChatCompletion(request(fake), { retry: FAST_RETRY }).catch((caught: unknown) => caught);
    expect((notJson as Error).message).toContain('chunk 2 is not JSON: "{\\"id\\": \\"x\\", oops"');
  });

  it('times out a stalled stream (idle) and reports it', async () => {
    const fake = await start({ reply: () => CHAIN, chunkDelayMs: 300 });
    const error = await streamChatCompletion(request(fake), { retry: { ...FAST_RETRY, attempts: 1 }, timeouts: { idleMs: 80 } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect((error as Error).message).toContain('no data from the server within 80 ms');
  });

  it('reports a refused connection as a connection failure after its tries', async () => {
    const fake = await start();
    const endpoint = fake.url;
    await fake.close();
    server = null;
    const error = await streamChatCompletion({ ...request(fake), endpoint }, { retry: { ...FAST_RETRY, attempts: 2 } }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'connection', status: null, attempts: 2 });
    expect((error as Error).message).toContain(`POST ${endpoint}/v1/chat/completions gave up after 2 tries: fetch failed`);
  });

  it('reads the API key from the named environment variable', async () => {
    const fake = await start({ apiKey: 'sk-test' });
    const { result } = await complete(fake, { apiKeyEnv: 'FRUSTUM_TEST_KEY' }, { env: { FRUSTUM_TEST_KEY: 'sk-test' } });
    expect(result.text).toBe('<answer>B</answer>');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer sk-test');
    await expect(complete(fake, { apiKeyEnv: 'FRUSTUM_TEST_KEY' }, { env: {} })).rejects.toThrow('The API key variable FRUSTUM_TEST_KEY is not set');
    const wrong = await complete(fake, { apiKeyEnv: 'FRUSTUM_TEST_KEY' }, { env: { FRUSTUM_TEST_KEY: 'other' } }).catch((caught: unknown) => caught);
    expect(wrong).toMatchObject({ kind: 'http', status: 401, attempts: 1 });
  });
});

describe('pieces', () => {
  it('builds the chat completions URL from a host, a /v1 base or the full path', () => {
    expect(chatCompletionsUrl('http://gpu:8000')).toBe('http://gpu:8000/v1/chat/completions');
    expect(chatCompletionsUrl('http://gpu:8000/v1/')).toBe('http://gpu:8000/v1/chat/completions');
    expect(chatCompletionsUrl('https://proxy/x/v1/chat/completions')).toBe('https://proxy/x/v1/chat/completions');
  });

  it('parses SSE split anywhere, CRLF across reads and comments included', () => {
    const parser = createSseParser();
    const bytes = new TextEncoder().encode(': keep-alive\r\ndata: {"a":"é"}\r\n\r\ndata: [DONE]\r\n\r\n');
    const events: string[] = [];
    for (const byte of bytes) events.push(...parser.push(Uint8Array.of(byte)));
    events.push(...parser.end());
    expect(events).toEqual(['{"a":"é"}', '[DONE]']);
    const truncated = createSseParser();
    expect([...truncated.push(new TextEncoder().encode('data: {"a"')), ...truncated.end()]).toEqual([]);
  });

  it('reads Retry-After as seconds or an HTTP date, and backs off exponentially with jitter', () => {
    expect(parseRetryAfterMs('2')).toBe(2000);
    expect(parseRetryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfterMs('soon')).toBeNull();
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(policy, 2, null, () => 0)).toBe(50);
    expect(backoffDelayMs(policy, 4, null, () => 1)).toBe(400);
    expect(backoffDelayMs(policy, 9, null, () => 1)).toBe(1000);
    expect(backoffDelayMs(policy, 2, 5000, () => 0)).toBe(5000);
  });

  it('finds the answer letter glued to the tag and is null when absent', () => {
    const token = (text: string, top: [string, number][] = []): TokenLogprob => ({ token: text, logprob: top[0]?.[1] ?? 0, bytes: null, topLogprobs: top.map(([t, p]) => ({ token: t, logprob: Math.log(p), bytes: null })) });
    const glued = [token('<answer'), token('>B', [['>B', 0.7], ['>A', 0.2], ['>', 0.1]]), token('</answer>')];
    const probabilities = answerOptionProbabilities(glued, OPTIONS);
    expect([...probabilities!.keys()]).toEqual(['B', 'A']);
    expect(probabilities!.get('B')).toBeCloseTo(0.7 / 0.9, 10);
    expect(probabilities!.get('A')).toBeCloseTo(0.2 / 0.9, 10);
    const spaced = [token('<answer>'), token('\n'), token(' B', [[' B', 0.5], [' A', 0.5]])];
    expect(answerYesProbability(spaced, OPTIONS)).toBeCloseTo(0.5, 10);
    expect(answerYesProbability([token('no tag')], OPTIONS)).toBeNull();
    expect(answerYesProbability(null, OPTIONS)).toBeNull();
    expect(answerYesProbability([token('<answer>'), token('Both', [['Both', 0.9]])], OPTIONS)).toBeNull();
    expect(answerYesProbability(glued, ['A. Pan', 'B. Tilt'])).toBeNull();
  });
});
