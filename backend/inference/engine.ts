// The one interface every inference engine answers through (issue 12 item 1): an
// OpenAI-compatible server (./openaiEngine.ts) or a built-in checkpoint's ONNX export
// (./builtinEngine.ts). A run (./runInference.ts) and the Inspect view's live ask
// (backend/studio/handlers/inference.ts) only ever hold an InferenceEngine.
import type { InferenceSettings, SentFrameInfo } from '../../common/api/contract';
import type { ClipProbe } from '../media/probe';

/** One sample to ask about; its clip already confined (backend/media/confine.ts). */
export interface InferenceQuestion {
  sampleId: number;
  clipId: number;
  /** The clip's real path, checked inside its media folder. */
  clipPath: string;
  problem: string;
  options: readonly string[];
  problemType: string;
  /** The clip's stored probe, when its file is unchanged since (saves two ffprobe runs a clip). */
  probe?: ClipProbe;
}

export interface InferenceHooks {
  signal?: AbortSignal;
  /** What the model receives, once the request is built (before the first token). */
  onFrames?: (frames: SentFrameInfo[]) => void;
  /** Each piece of the output as it arrives. */
  onDelta?: (text: string) => void;
  /** What was shown is void: the request starts again (a dropped stream was retried). */
  onReset?: (reason: string) => void;
}

export interface EngineAnswer {
  output: string;
  frames: SentFrameInfo[];
  /** P(the "Yes" letter) among the option letters at the answer token; null without log-probs. */
  yesProbability: number | null;
  completionTokens: number | null;
  /** From the request leaving to the first content token, and to the end. */
  firstTokenMs: number | null;
  durationMs: number;
  finishReason: string | null;
}

export interface InferenceEngine {
  readonly settings: InferenceSettings;
  answer(question: InferenceQuestion, hooks?: InferenceHooks): Promise<EngineAnswer>;
  close(): Promise<void>;
}

/** CamReasoner's evaluation settings (evaluation.md §4): greedy, 8192 tokens, 1 fps, the first 64 frames, 1,048,576 pixels each. */
export const CAMREASONER_SETTINGS: Omit<InferenceSettings, 'engine' | 'model'> = {
  temperature: 0,
  maxTokens: 8192,
  frames: { sampling: 'first', parts: 'images', fps: 1, maxFrames: 64, maxPixels: 1_048_576 },
};
