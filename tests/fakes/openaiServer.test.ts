import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, tokenize, type FakeOpenAIServer } from './openaiServer';

let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('fake OpenAI-compatible (vLLM) server', () => {
  it('answers non-streaming requests in vLLM ChatCompletionResponse shape, with logprobs and max_tokens', async () => {
    server = await startFakeOpenAIServer({ reply: () => '<answer>B</answer>' });
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'CamReasoner-7B', messages: [{ role: 'user', content: 'q' }], max_tokens: 4, logprobs: true, top_logprobs: 1 }),
    });
    const body = (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]).toMatchObject({ index: 0, message: { role: 'assistant', content: '<answer>B' }, finish_reason: 'length', stop_reason: null });
    expect(body.choices[0].logprobs.content[3]).toEqual({ token: 'B', logprob: 0, bytes: [66], top_logprobs: [{ token: 'B', logprob: 0, bytes: [66] }] });
    expect(body.usage).toMatchObject({ completion_tokens: 4, prompt_tokens_details: null });
  });

  it('lists its model and answers errors in the ErrorResponse envelope', async () => {
    server = await startFakeOpenAIServer({ model: 'm' });
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: { id: string; owned_by: string }[] };
    expect(models.data[0]).toMatchObject({ id: 'm', owned_by: 'vllm' });
    const bad = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'q' }], top_logprobs: 2 }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { message: 'when using `top_logprobs`, `logprobs` must be set to true.', type: 'BadRequestError', param: null, code: 400 } });
    server.inject({ kind: 'status', status: 429, retryAfter: '3' });
    const limited = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'q' }] }) });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '3']);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/models', 'POST /v1/chat/completions', 'POST /v1/chat/completions']);
  });

  it('tokenizes so that the tokens always join back to the text', () => {
    const text = 'Café — 🎥 pans 向左 12.\n<answer> B</answer>';
    expect(tokenize(text).join('')).toBe(text);
    expect(tokenize('<answer>B</answer>')).toEqual(['<', 'answer', '>', 'B', '</', 'answer', '>']);
  });
});
