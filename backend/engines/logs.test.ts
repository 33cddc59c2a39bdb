// Reading the trainers' files and output (../shared/data/engines.md), the config overrides, the
// defaults' batch arithmetic, the file tail and the process tree: each against the shapes the
// engines really write, including the awkward ones (v1 logs, Ray prefixes, a half-written line,
// a truncated file, a character split across reads).
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/support/tempDir';
import { easyR1Defaults, llamaFactoryDefaults, modelBillions } from './defaults';
import { consoleMetricsReader, flattenMetrics, parseEasyR1Output, parseExperimentLogLine, withoutRayPrefix } from './easyr1';
import { parseLlamaFactoryOutput, parseTrainerLogLine } from './llamafactory';
import { applyOverrides } from './plan';
import { shellQuote } from './shell';
import { descendantsOf } from './processTree';
import { tailFile } from './tail';

describe('LLaMA-Factory trainer_log.jsonl', () => {
  it('reads the classic shape: steps and total, curves only (no percentage or times)', () => {
    const line = '{"current_steps": 10, "total_steps": 1200, "loss": 1.2345, "lr": 9.9e-06, "epoch": 0.02, "percentage": 0.83, "elapsed_time": "0:01:23", "remaining_time": "2:44:10", "throughput": 1234.56, "total_tokens": 102400}';
    expect(parseTrainerLogLine(line)).toEqual({
      step: 10,
      total: 1200,
      points: [
        { step: 10, key: 'loss', value: 1.2345 }, { step: 10, key: 'lr', value: 9.9e-6 }, { step: 10, key: 'epoch', value: 0.02 },
        { step: 10, key: 'throughput', value: 1234.56 }, { step: 10, key: 'total_tokens', value: 102400 },
      ],
    });
  });

  it('reads the v1 trainer shape under the same file name (learning_rate is lr)', () => {
    const parsed = parseTrainerLogLine('{"epoch": 1.0, "step": 40, "loss": 0.5, "grad_norm": 2.5, "learning_rate": 5e-05, "total_steps": 80}');
    expect(parsed?.step).toBe(40);
    expect(parsed?.total).toBe(80);
    expect(parsed?.points.map((point) => point.key)).toEqual(['epoch', 'loss', 'grad_norm', 'lr']);
  });

  it('leaves a half-written line and a line without a step for later', () => {
    expect(parseTrainerLogLine('{"current_steps": 10, "loss"')).toBeNull();
    expect(parseTrainerLogLine('{"loss": 1}')).toBeNull();
    expect(parseTrainerLogLine('[1, 2]')).toBeNull();
  });

  it('says what it does before the first step, from its output', () => {
    expect(parseLlamaFactoryOutput('[INFO|trainer.py:2420] 2026-12-06 10:00:00,000 >>   Total optimization steps = 1,200')).toEqual({ message: 'training: 1,200 steps', done: 0, total: 1200 });
    expect(parseLlamaFactoryOutput('Running tokenizer on dataset (num_proc=16):  45%|████▌     | 171/380 [00:02<00:03, 80.1 examples/s]')).toEqual({ message: 'Running tokenizer on dataset (num_proc=16): 171/380' });
    expect(parseLlamaFactoryOutput('[INFO|2026-12-06 10:00:00] llamafactory.data.loader:143 >> Loading dataset frustum_sft.json...')).toEqual({ message: 'Loading dataset frustum_sft.json...' });
    // The training bar has no label: its steps come from the log file.
    expect(parseLlamaFactoryOutput(' 17%|█         | 1/6 [00:00<00:00,  0.02s/it]')).toBeNull();
  });
});

describe('EasyR1 experiment_log.jsonl and console', () => {
  it('flattens the nested metrics back to their "/" keys', () => {
    const parsed = parseExperimentLogLine('{"step": 12, "reward": {"overall": 0.78, "format": 0.97}, "critic": {"score": {"mean": 0.5}}, "actor": {"kl_loss": 0.002}}');
    expect(parsed).toEqual({
      step: 12,
      total: null,
      points: [
        { step: 12, key: 'reward/overall', value: 0.78 }, { step: 12, key: 'reward/format', value: 0.97 },
        { step: 12, key: 'critic/score/mean', value: 0.5 }, { step: 12, key: 'actor/kl_loss', value: 0.002 },
      ],
    });
    expect(flattenMetrics({ a: [1, 2], b: 'text', c: null, d: true }, 0)).toEqual([{ step: 0, key: 'd', value: 1 }]);
  });

  it("reads the console logger's Step blocks through Ray's line prefixes", () => {
    const reader = consoleMetricsReader();
    const lines = [
      '(Runner pid=4242) Step 3',
      '(Runner pid=4242) actor:',
      '(Runner pid=4242)   kl_loss: 0.002',
      '(Runner pid=4242)   lr: 1.0e-06',
      '(Runner pid=4242) reward:',
      '(Runner pid=4242)   overall: 0.75',
      '(Runner pid=4242) ',
      '(Runner pid=4242) Step 4',
      '(Runner pid=4242) reward:',
      '(Runner pid=4242)   overall: 0.8',
    ];
    const blocks = lines.map((line) => reader.feed(line)).filter((block) => block !== null);
    expect(blocks).toEqual([{ step: 3, total: null, points: [{ step: 3, key: 'actor/kl_loss', value: 0.002 }, { step: 3, key: 'actor/lr', value: 1e-6 }, { step: 3, key: 'reward/overall', value: 0.75 }] }]);
    expect(reader.flush()).toEqual({ step: 4, total: null, points: [{ step: 4, key: 'reward/overall', value: 0.8 }] });
    expect(withoutRayPrefix('(WorkerDict pid=12, ip=10.0.0.2) Saving model')).toBe('Saving model');
    expect(parseEasyR1Output('(Runner pid=1) Total training steps: 30')).toEqual({ message: 'training: 30 steps', done: 0, total: 30 });
  });
});

describe('config overrides', () => {
  it('reads values as YAML scalars, nests dotted keys for EasyR1, and notes keys Frustum does not set', () => {
    const notes: string[] = [];
    const flat = applyOverrides({ learning_rate: 1e-4, bf16: true }, [
      { key: 'learning_rate', value: '5e-5' }, { key: 'bf16', value: 'false' }, { key: 'lora_dropout', value: '0.05' }, { key: 'dataset', value: 'a,b' },
    ], 'flat', notes);
    expect(flat).toEqual({ learning_rate: 5e-5, bf16: false, lora_dropout: 0.05, dataset: 'a,b' });
    expect(notes).toEqual(["lora_dropout: not among Frustum's defaults; passed to the trainer as written", "dataset: not among Frustum's defaults; passed to the trainer as written"]);
    const nested = applyOverrides({ worker: { rollout: { n: 8 } } }, [{ key: 'worker.rollout.n', value: '4' }, { key: 'trainer.logger', value: '[console, file, wandb]' }], 'dotted', []);
    expect(nested).toEqual({ worker: { rollout: { n: 4 } }, trainer: { logger: ['console', 'file', 'wandb'] } });
  });

  it('refuses keys that are not config keys', () => {
    expect(() => applyOverrides({}, [{ key: '__proto__.polluted', value: '1' }], 'dotted', [])).toThrow('not a config key');
    expect(() => applyOverrides({ worker: { n: 1 } }, [{ key: 'worker.n.deeper', value: '1' }], 'dotted', [])).toThrow('n is a value, not a section');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('quotes for the shell only what needs it', () => {
    expect(shellQuote('/tmp/run/1')).toBe('/tmp/run/1');
    expect(shellQuote("it's here")).toBe("'it'\\''s here'");
  });
});

describe('defaults', () => {
  it('reads the model size from its name', () => {
    expect(modelBillions('Qwen/Qwen2.5-VL-7B-Instruct')).toBe(7);
    expect(modelBillions('Qwen/Qwen2.5-VL-72B-Instruct')).toBe(72);
    expect(modelBillions('/models/my-checkpoint')).toBe(7);
  });

  it('fine-tunes fully with ZeRO-3 only when the GPUs hold it, LoRA otherwise', () => {
    const at = (gpus: number, memoryGiB: number) => llamaFactoryDefaults({ model: 'Qwen/Qwen2.5-VL-7B-Instruct', records: 1000, hardware: { gpus, nodes: 1, memoryGiB }, runFolder: '/r', dataset: 'd' }).config;
    expect(at(1, 80)).toMatchObject({ finetuning_type: 'lora', lora_target: 'all' });
    expect(at(8, 80)).toMatchObject({ finetuning_type: 'full', deepspeed: '/r/ds_z3_config.json' });
    expect(at(1, 24)['video_maxlen']).toBe(32);
  });

  it("gives EasyR1 a rollout batch its actor's global batch divides, for any dataset size", () => {
    for (const records of [1, 2, 3, 7, 25, 85, 100, 127, 128, 129, 1000, 38_000]) {
      const { config } = easyR1Defaults({ model: 'm', records, hardware: { gpus: 1, nodes: 1, memoryGiB: 80 }, runFolder: '/r', experiment: 'e', trainFile: 't', valFile: 'v' });
      const rollout = (config['data'] as Record<string, number>)['rollout_batch_size'] as number;
      const global = ((config['worker'] as Record<string, Record<string, number>>)['actor'] as Record<string, number>)['global_batch_size'] as number;
      expect(rollout % global, `${records} records`).toBe(0);
      expect(rollout).toBeLessThanOrEqual(Math.max(1, records));
    }
  });
});

describe('tailFile', () => {
  it('returns whole lines only, starts over when the file is truncated, and decodes a character split across reads', () => {
    const path = join(tempDir(), 'log.jsonl');
    const tail = tailFile(path);
    expect(tail.read()).toEqual([]);
    writeFileSync(path, '{"step": 1}\n{"step": 2');
    expect(tail.read()).toEqual(['{"step": 1}']);
    appendFileSync(path, '}\n');
    expect(tail.read()).toEqual(['{"step": 2}']);
    // EasyR1 empties its log at start.
    writeFileSync(path, '{"step": 0}\n');
    expect(tail.read()).toEqual(['{"step": 0}']);
    const snowman = Buffer.from('☃\n');
    appendFileSync(path, snowman.subarray(0, 1));
    expect(tail.read()).toEqual([]);
    appendFileSync(path, snowman.subarray(1));
    expect(tail.read()).toEqual(['☃']);
    expect(tailFile(path, { fromEnd: true }).read()).toEqual([]);
  });
});

describe('descendantsOf', () => {
  it.skipIf(process.platform !== 'linux')('finds grandchildren', async () => {
    const child = spawn('bash', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      let found: number[] = [];
      for (let attempt = 0; attempt < 50 && found.length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        found = descendantsOf(child.pid as number);
      }
      expect(found.length).toBe(1);
    } finally {
      for (const pid of descendantsOf(child.pid as number)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }
  });
});
