// The wire shapes of an OpenAI-compatible chat completion stream as vLLM writes them
// (vllm/entrypoints/openai/protocol.py: ChatCompletionStreamResponse, ChatCompletionLogProbs,
// UsageInfo, ErrorResponse). Validated at the boundary so a server that drifts fails with the
// field that was wrong, not with an undefined deep inside a run.
import { array, literal, nullable, number, object, optional, string, union, type infer as Infer, type ZodError } from 'zod';

const topLogprob = object({
  token: string(),
  logprob: number(),
  bytes: optional(nullable(array(number()))),
});

const tokenLogprob = object({
  token: string(),
  logprob: number(),
  bytes: optional(nullable(array(number()))),
  top_logprobs: optional(nullable(array(topLogprob))),
});

// vLLM's UsageInfo: completion_tokens may be null (Optional, default 0).
const usage = object({
  prompt_tokens: number(),
  completion_tokens: optional(nullable(number())),
  total_tokens: number(),
});

const streamChoice = object({
  index: number(),
  delta: object({
    role: optional(string()),
    content: optional(nullable(string())),
  }),
  logprobs: optional(nullable(object({ content: nullable(array(tokenLogprob)) }))),
  finish_reason: optional(nullable(string())),
});

export const chatCompletionChunk = object({
  id: string(),
  object: literal('chat.completion.chunk'),
  created: number(),
  model: string(),
  choices: array(streamChoice),
  usage: optional(nullable(usage)),
});
export type ChatCompletionChunk = Infer<typeof chatCompletionChunk>;
export type WireTokenLogprob = Infer<typeof tokenLogprob>;
export type WireUsage = Infer<typeof usage>;

const errorCode = optional(nullable(union([number(), string()])));
// vLLM ≥ 0.10 (the 0.12.0 CamReasoner pins included) answers OpenAI's envelope
// {"error": {message, type, param, code}}, code being the HTTP status; older vLLM answered the
// flat {"object": "error", message, type, param, code}. Both are read.
const nestedError = object({ error: object({ message: string(), type: optional(nullable(string())), code: errorCode }) });
const flatError = object({ object: literal('error'), message: string(), type: optional(nullable(string())), code: errorCode });

export interface ServerError {
  message: string;
  type: string | null;
  code: number | string | null;
}

/** The error a body or a stream event carries, or null when it is not an error object. */
export function serverErrorOf(value: unknown): ServerError | null {
  // Every stream event passes through here: a chunk (no "error" key, no "object": "error") is
  // answered without building two failed zod parses' issue lists (bench/inferenceRun.ts).
  if (value === null || typeof value !== 'object' || (!('error' in value) && (value as { object?: unknown }).object !== 'error')) return null;
  const nested = nestedError.safeParse(value);
  if (nested.success) return { message: nested.data.error.message, type: nested.data.error.type ?? null, code: nested.data.error.code ?? null };
  const flat = flatError.safeParse(value);
  if (flat.success) return { message: flat.data.message, type: flat.data.type ?? null, code: flat.data.code ?? null };
  return null;
}

/** "choices.0.delta.content: Invalid input: expected string, received number; …" */
export function describeIssues(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}
