// The OpenAI-compatible engine: CamReasoner's request for the sample (./camReasonerRequest.ts;
// its text is promptFor's: CamReasoner's prompt for a question, the bare question for a caption),
// streamed through ./openaiClient.ts, with the answer token's log-probs turned into P(Yes)
// (./answerProbability.ts). Every request asks for the top 5 log-probs: vLLM returns them at no
// measurable cost, and AP needs them.
import type { InferenceSettings } from '../../common/api/contract';
import { buildCamReasonerRequest, extractCamReasonerFrames } from './camReasonerRequest';
import { createFrameMemo } from './frameMemo';
import { answerYesProbability } from './answerProbability';
import { streamChatCompletion, type ChatStreamOptions } from './openaiClient';
import type { EngineAnswer, InferenceEngine, InferenceHooks, InferenceQuestion } from './engine';

export const TOP_LOGPROBS = 5;

const PARTS = { images: 'frames', 'video-frames': 'video_frames', 'video-file': 'video_url' } as const;

export interface OpenAIEngineOptions {
  /** Retry and timeout policy of every call (tests shorten them). */
  client?: Pick<ChatStreamOptions, 'retry' | 'timeouts' | 'env'>;
  /** Frames of recent clips kept for their next questions (default 256 MiB). */
  frameMemoBytes?: number;
}

const DEFAULT_FRAME_MEMO_BYTES = 256 * 1024 * 1024;

export function openOpenAIEngine(settings: InferenceSettings, options: OpenAIEngineOptions = {}): InferenceEngine {
  const endpoint = settings.endpoint;
  if (endpoint === undefined || endpoint === '') throw new Error('an OpenAI-compatible engine needs an endpoint URL');
  const frameOptions = { sampling: settings.frames.sampling, fps: settings.frames.fps, maxFrames: settings.frames.maxFrames, maxPixels: settings.frames.maxPixels };
  // One engine has one frame setting: the clip's path names its frames.
  const memo = createFrameMemo(options.frameMemoBytes ?? DEFAULT_FRAME_MEMO_BYTES);
  return {
    settings,
    async answer(question: InferenceQuestion, hooks: InferenceHooks = {}): Promise<EngineAnswer> {
      // The whole file travels in video-file mode: nothing to extract.
      const extracted = settings.frames.parts === 'video-file' ? undefined : await memo.get(question.clipPath, () => extractCamReasonerFrames(question.clipPath, { ...frameOptions, ...(question.probe ? { probe: question.probe } : {}) }));
      const request = await buildCamReasonerRequest(
        question.clipPath,
        { problem: question.problem, options: question.options, problemType: question.problemType },
        { mode: PARTS[settings.frames.parts], ...frameOptions, ...(extracted ? { extracted } : {}), ...(hooks.signal ? { signal: hooks.signal } : {}) },
      );
      const frames = request.frames.map(({ timestamp, width, height }) => ({ timestamp, width, height }));
      hooks.onFrames?.(frames);
      const started = performance.now();
      let firstTokenAt: number | null = null;
      const result = await streamChatCompletion(
        {
          endpoint,
          model: settings.model,
          messages: request.messages,
          temperature: settings.temperature,
          maxTokens: settings.maxTokens,
          topLogprobs: TOP_LOGPROBS,
          ...(settings.apiKeyEnv !== undefined ? { apiKeyEnv: settings.apiKeyEnv } : {}),
        },
        {
          ...options.client,
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          onDelta: (delta) => {
            firstTokenAt ??= performance.now();
            hooks.onDelta?.(delta);
          },
          onReset: (info) => {
            firstTokenAt = null;
            hooks.onReset?.(info.reason);
          },
        },
      );
      return {
        output: result.text,
        frames,
        yesProbability: answerYesProbability(result.tokens, question.options),
        completionTokens: result.usage?.completionTokens ?? result.tokens?.length ?? null,
        firstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
        durationMs: performance.now() - started,
        finishReason: result.finishReason,
      };
    },
    close: async () => {},
  };
}
