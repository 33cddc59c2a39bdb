import { describe, expect, it } from 'vitest';
import type { TrainRun } from '../../common/api/contract';
import { inferenceRequest } from '../../common/api/contract';
import { builtinCheckpoints, DEFAULT_INFERENCE_FORM, toInferenceRequest, toInferenceSettings } from './inferenceForm';

describe('toInferenceRequest', () => {
  it('makes CamReasoner\'s evaluation settings from the defaults and a model name, valid by the contract', () => {
    const { request, problems } = toInferenceRequest({ ...DEFAULT_INFERENCE_FORM, model: 'CamReasoner-7B' }, {});
    expect(problems).toEqual([]);
    expect(request).toEqual({
      settings: {
        engine: 'openai',
        endpoint: 'http://127.0.0.1:8000/v1',
        model: 'CamReasoner-7B',
        temperature: 0,
        maxTokens: 8192,
        frames: { sampling: 'first', parts: 'images', fps: 1, maxFrames: 64, maxPixels: 1_048_576 },
      },
      concurrency: 8,
    });
    expect(inferenceRequest.safeParse(request).success).toBe(true);
  });

  it('sends the Library\'s filter, cleaned of empty parts', () => {
    const { request } = toInferenceRequest({ ...DEFAULT_INFERENCE_FORM, model: 'm' }, { split: ['test'], status: [], search: ' ' });
    expect(request.filter).toEqual({ split: ['test'] });
  });

  it('names every field that cannot be sent', () => {
    const { problems } = toInferenceRequest({ ...DEFAULT_INFERENCE_FORM, endpoint: 'localhost:8000', apiKeyEnv: 'MY-KEY', fps: '0', maxFrames: '2.5', maxPixels: '100', temperature: '3', maxTokens: '', concurrency: '999' }, {});
    expect(problems).toEqual([
      'fps must be a number above 0 and at most 60',
      'Max frames must be a whole number from 1 to 1,024',
      'Max pixels must be a whole number from 3,136 to 16,777,216',
      'Temperature must be a number from 0 to 2',
      'Max tokens must be a whole number from 1 to 131,072',
      'Endpoint: the server\'s URL, like http://127.0.0.1:8000/v1',
      'Model: the served model name (vllm serve --served-model-name), like CamReasoner-7B',
      'API key: the NAME of an environment variable (letters, digits, _), like OPENAI_API_KEY',
      'Concurrency must be a whole number from 1 to 256',
    ]);
  });

  it('keeps the API key\'s variable name, never a key', () => {
    const { settings, problems } = toInferenceSettings({ ...DEFAULT_INFERENCE_FORM, model: 'm', apiKeyEnv: 'VLLM_API_KEY' });
    expect(problems).toEqual([]);
    expect(settings.apiKeyEnv).toBe('VLLM_API_KEY');
  });

  it('names a built-in checkpoint as given, with no endpoint', () => {
    const { settings, problems } = toInferenceSettings({ ...DEFAULT_INFERENCE_FORM, engine: 'builtin', checkpoint: '/p/demo.runs/3/checkpoints/global_step_40' });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ engine: 'builtin', model: '/p/demo.runs/3/checkpoints/global_step_40' });
    expect(settings.endpoint).toBeUndefined();
    expect(toInferenceSettings({ ...DEFAULT_INFERENCE_FORM, engine: 'builtin', checkpoint: ' ' }).problems).toEqual(['Checkpoint: a built-in checkpoint folder, or newest']);
  });
});

describe('builtinCheckpoints', () => {
  const run = (jobId: number, engine: TrainRun['engine'], steps: number[], objective: TrainRun['objective'] = 'sft'): TrainRun => ({
    jobId, resumedFrom: null, engine, objective, model: 'm', runFolder: `/r/${jobId}`, snapshot: null, rayJobId: null,
    checkpoints: steps.map((step) => ({ name: `global_step_${step}`, step, path: `/r/${jobId}/checkpoints/global_step_${step}`, isLast: false, isBest: false, weights: step === 0 ? 'none' : 'full' })),
  });

  it('lists the built-in runs\' checkpoints with weights, newest run and step first', () => {
    expect(builtinCheckpoints([run(2, 'builtin', [10, 20]), run(5, 'builtin', [4], 'grpo'), run(3, 'llamafactory', [100]), run(1, 'builtin', [0])])).toEqual([
      { path: '/r/5/checkpoints/global_step_4', label: '#5 GRPO · global_step_4' },
      { path: '/r/2/checkpoints/global_step_20', label: '#2 SFT · global_step_20' },
      { path: '/r/2/checkpoints/global_step_10', label: '#2 SFT · global_step_10' },
    ]);
  });
});
