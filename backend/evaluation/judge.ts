// An LLM judge behind an OpenAI-compatible endpoint, for the scores whose scripts ask one:
// CameraBench's caption gen_match (GPT-4o), ShotBench's answer matching where its rules find no
// option (GPT-4o), RefineShot's think/answer consistency check (Qwen3). Only when the person
// names one (`frustum eval --judge-endpoint URL --judge-model NAME`): without it those numbers are
// "not computed" or come from a rule, and say so — never a random draw, never a silent default.
// The API key is read from the variable the person names, when each request is sent.
import { UsageError } from '../../common/errors';
import { streamChatCompletion, type ChatCompletionResult, type ChatStreamOptions } from '../inference/openaiClient';

export interface JudgeSettings {
  /** The server: http://host:8000, …/v1 or the full …/chat/completions. */
  endpoint: string;
  model: string;
  /** The NAME of the environment variable holding the API key. */
  apiKeyEnv?: string;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
}

export interface JudgeReply {
  text: string;
  /** The reply as the OpenAI Python client's `completion` reads (choices[0].message.content, choices[0].logprobs.content[…].top_logprobs). */
  completion: unknown;
}

export interface Judge {
  readonly settings: JudgeSettings;
  /** "gpt-4o at http://…": what the notes and bases name. */
  readonly label: string;
  /** One user message; rejects when the call fails after the client's own retries. */
  ask(prompt: string, options: { maxTokens: number; temperature?: number; topLogprobs?: number }): Promise<JudgeReply>;
}

/** The streamed result in the shape of a non-streamed chat completion's JSON body. */
export function completionBody(result: ChatCompletionResult): unknown {
  return {
    choices: [{
      message: { role: 'assistant', content: result.text },
      finish_reason: result.finishReason,
      logprobs: result.tokens === null ? null : {
        content: result.tokens.map((token) => ({
          token: token.token,
          logprob: token.logprob,
          top_logprobs: token.topLogprobs.map((top) => ({ token: top.token, logprob: top.logprob })),
        })),
      },
    }],
  };
}

export function openAIJudge(settings: JudgeSettings, options: Pick<ChatStreamOptions, 'env' | 'retry' | 'timeouts' | 'signal'> = {}): Judge {
  try {
    new URL(settings.endpoint);
  } catch {
    throw new UsageError(`--judge-endpoint ${settings.endpoint} is not a URL (e.g. http://127.0.0.1:8000/v1)`);
  }
  const env = options.env ?? process.env;
  if (settings.apiKeyEnv !== undefined && (env[settings.apiKeyEnv] ?? '') === '') {
    throw new UsageError(`the judge's API key variable ${settings.apiKeyEnv} is not set in the environment`);
  }
  return {
    settings,
    label: `${settings.model} at ${settings.endpoint}`,
    async ask(prompt, askOptions) {
      const result = await streamChatCompletion({
        endpoint: settings.endpoint,
        model: settings.model,
        messages: [{ role: 'user', content: prompt }],
        temperature: askOptions.temperature ?? 0,
        maxTokens: askOptions.maxTokens,
        ...(askOptions.topLogprobs !== undefined ? { topLogprobs: askOptions.topLogprobs } : {}),
        ...(settings.apiKeyEnv !== undefined ? { apiKeyEnv: settings.apiKeyEnv } : {}),
      }, {
        // The scripts retry the judge themselves (3 tries); one client retry for a dropped connection is enough.
        retry: { attempts: 2, ...options.retry },
        timeouts: { firstByteMs: 120_000, totalMs: 300_000, ...options.timeouts },
        ...(options.env !== undefined ? { env: options.env } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
      return { text: result.text, completion: completionBody(result) };
    },
  };
}

/** `work` over the items with at most `limit` in flight, results in the items' order. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
