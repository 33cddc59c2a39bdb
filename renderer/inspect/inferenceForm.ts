// The new-run form's state and the run request it makes (inference.start). Numbers are kept as
// typed and checked here, so a half-typed field names its problem instead of being sent; the
// defaults are CamReasoner's evaluation (eval_bench.py: 1 fps, the first 64 frames, 1,048,576
// pixels a frame, greedy, 8192 tokens). A built-in run names a checkpoint folder as
// training.runs lists it (or "newest"): the backend resolves a run folder, a global_step_N
// folder or its actor/ folder to the ONNX export, so the form does not guess the layout.
import type { FrameSettings, InferenceRequest, InferenceSettings, LibraryFilter, TrainRun } from '../../common/api/contract';
import { cleanFilter } from '../app/route';

export type InferenceEngineName = InferenceSettings['engine'];

export interface InferenceForm {
  engine: InferenceEngineName;
  endpoint: string;
  /** openai: the served model name. */
  model: string;
  apiKeyEnv: string;
  /** builtin: a checkpoint folder, or "newest". */
  checkpoint: string;
  sampling: FrameSettings['sampling'];
  parts: FrameSettings['parts'];
  fps: string;
  maxFrames: string;
  maxPixels: string;
  temperature: string;
  maxTokens: string;
  concurrency: string;
}

export const NEWEST_CHECKPOINT = 'newest';

export const DEFAULT_INFERENCE_FORM: InferenceForm = {
  engine: 'openai',
  endpoint: 'http://127.0.0.1:8000/v1',
  model: '',
  apiKeyEnv: '',
  checkpoint: NEWEST_CHECKPOINT,
  sampling: 'first',
  parts: 'images',
  fps: '1',
  maxFrames: '64',
  maxPixels: '1048576',
  temperature: '0',
  maxTokens: '8192',
  concurrency: '8',
};

function numberField(text: string, name: string, limits: { min: number; max: number; isInteger: boolean; isMinExclusive?: boolean }, problems: string[]): number {
  const value = Number(text.trim());
  const isBelow = limits.isMinExclusive ? value <= limits.min : value < limits.min;
  if (text.trim() === '' || !Number.isFinite(value) || isBelow || value > limits.max || (limits.isInteger && !Number.isInteger(value))) {
    const range = limits.isMinExclusive ? `above ${limits.min} and at most ${limits.max.toLocaleString('en-US')}` : `from ${limits.min.toLocaleString('en-US')} to ${limits.max.toLocaleString('en-US')}`;
    problems.push(`${name} must be ${limits.isInteger ? 'a whole number' : 'a number'} ${range}`);
    return Number.NaN;
  }
  return value;
}

/** The settings the form describes (the contract's limits, checked before sending). */
export function toInferenceSettings(form: InferenceForm): { settings: InferenceSettings; problems: string[] } {
  const problems: string[] = [];
  const frames: FrameSettings = {
    sampling: form.sampling,
    parts: form.parts,
    fps: numberField(form.fps, 'fps', { min: 0, max: 60, isInteger: false, isMinExclusive: true }, problems),
    maxFrames: numberField(form.maxFrames, 'Max frames', { min: 1, max: 1024, isInteger: true }, problems),
    maxPixels: numberField(form.maxPixels, 'Max pixels', { min: 3136, max: 16_777_216, isInteger: true }, problems),
  };
  const temperature = numberField(form.temperature, 'Temperature', { min: 0, max: 2, isInteger: false }, problems);
  const maxTokens = numberField(form.maxTokens, 'Max tokens', { min: 1, max: 131_072, isInteger: true }, problems);
  const engine = form.engine;
  switch (engine) {
    case 'openai': {
      const endpoint = form.endpoint.trim();
      if (!/^https?:\/\/[^\s/]+/.test(endpoint)) problems.push('Endpoint: the server\'s URL, like http://127.0.0.1:8000/v1');
      const model = form.model.trim();
      if (model === '') problems.push('Model: the served model name (vllm serve --served-model-name), like CamReasoner-7B');
      const apiKeyEnv = form.apiKeyEnv.trim();
      if (apiKeyEnv !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) problems.push('API key: the NAME of an environment variable (letters, digits, _), like OPENAI_API_KEY');
      return {
        settings: { engine, endpoint, model, ...(apiKeyEnv !== '' ? { apiKeyEnv } : {}), temperature, maxTokens, frames },
        problems,
      };
    }
    case 'builtin': {
      const checkpoint = form.checkpoint.trim();
      if (checkpoint === '') problems.push(`Checkpoint: a built-in checkpoint folder, or ${NEWEST_CHECKPOINT}`);
      // The built-in model reads motion evidence; the frame settings travel unused (the contract asks for them).
      return { settings: { engine, model: checkpoint, temperature, maxTokens, frames }, problems };
    }
    default:
      throw new Error(`unknown engine ${String(engine satisfies never)}`);
  }
}

/** The run to start: the form's settings over the Library's current filter (none: the backend's default). */
export function toInferenceRequest(form: InferenceForm, filter: LibraryFilter): { request: InferenceRequest; problems: string[] } {
  const { settings, problems } = toInferenceSettings(form);
  const concurrency = numberField(form.concurrency, 'Concurrency', { min: 1, max: 256, isInteger: true }, problems);
  const clean = cleanFilter(filter);
  return { request: { settings, concurrency, ...(Object.keys(clean).length > 0 ? { filter: clean } : {}) }, problems };
}

/** The built-in checkpoints a run can answer with, newest run and step first, as training.runs gives their folders. */
export function builtinCheckpoints(runs: readonly TrainRun[]): Array<{ path: string; label: string }> {
  const choices: Array<{ path: string; label: string }> = [];
  for (const run of [...runs].sort((left, right) => right.jobId - left.jobId)) {
    if (run.engine !== 'builtin') continue;
    for (const checkpoint of [...run.checkpoints].sort((left, right) => right.step - left.step)) {
      if (checkpoint.weights === 'none' || choices.some((choice) => choice.path === checkpoint.path)) continue;
      choices.push({ path: checkpoint.path, label: `#${run.jobId} ${run.objective.toUpperCase()} · ${checkpoint.name}` });
    }
  }
  return choices;
}
