// The two objectives on a task small enough to learn in seconds on the CPU backend: the clip's
// evidence says left or right, the question asks about one of them, and the chain must say which
// and answer accordingly. SFT must learn the format and the answers; GRPO, from a weaker SFT
// model, must move its answers toward the reward without leaving its reference far behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDefaults, type BuiltinConfig } from '../../backend/engines/builtinConfig';
import { camReasonerReward } from '../../common/ota/reward';
import { deriveSeed, seededRandom } from '../../common/random';
import type { TF } from '../model/network';
import { loadTensorflow } from '../tensorflow';
import type { TrainerContext } from './context';
import type { Example } from './examples';
import { groupAdvantages, trainGrpo, validate } from './grpo';
import { RunFiles } from './runFiles';
import { writeChains } from './sampling';
import { trainSft } from './sft';

let tf: TF;
const folders: string[] = [];
beforeAll(async () => {
  // WebAssembly, as training runs here: the CPU backend would take minutes for these sizes.
  tf = (await loadTensorflow({ only: '@tensorflow/tfjs-backend-wasm' })).tf;
});
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Evidence: 6 features, the first says the direction; the rest is noise. */
function examples(count: number, seed: number): Example[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const isLeft = random() < 0.5;
    const asksLeft = random() < 0.5;
    const yes = isLeft === asksLeft;
    const evidence = Float32Array.from({ length: 6 }, (_, feature) => (feature === 0 ? (isLeft ? -1 : 1) + (random() - 0.5) * 0.4 : random()));
    const answer = yes ? 'B' : 'A';
    return {
      sampleId: index + 1,
      input: { question: `Does the camera pan ${asksLeft ? 'left' : 'right'}?`, options: ['A. No', 'B. Yes'] },
      // Restating the question before answering, as CamReasoner's chains do ("The question asks whether…").
      chain: `<observation>The scene slides ${isLeft ? 'right' : 'left'}.</observation><think>The camera pans ${isLeft ? 'left' : 'right'}; the question asks about ${asksLeft ? 'left' : 'right'}, so ${yes ? 'yes' : 'no'}.</think><answer>${answer}</answer>`,
      groundTruth: answer,
      clip: `clips/${index}.mp4`,
      evidence,
    };
  });
}

function context(config: BuiltinConfig): TrainerContext {
  const folder = mkdtempSync(join(tmpdir(), 'frustum-objectives-'));
  folders.push(folder);
  return { tf, folder, config, files: new RunFiles(folder), out: () => {}, about: {}, deadline: Infinity };
}

function smallConfig(objective: 'sft' | 'grpo', init: string | null, changes: (config: BuiltinConfig) => void): BuiltinConfig {
  const config = builtinDefaults(objective, 32, init);
  // At 16 context and 24 hidden units the decoder learns the template but never the comparison.
  config.model = { ...config.model, context: 64, embedding: 16, hidden: 64 };
  config.data.max_response_length = 48;
  changes(config);
  return config;
}

describe('the built-in objectives', () => {
  it('GRPO advantages are EasyR1\'s: (score − mean) / (unbiased std + 1e-6), zero for a group of one', () => {
    const advantages = groupAdvantages([1, 0, 0, 0]);
    // mean 0.25, unbiased std 0.5
    expect(advantages[0]).toBeCloseTo(0.75 / (0.5 + 1e-6), 10);
    expect(advantages[1]).toBeCloseTo(-0.25 / (0.5 + 1e-6), 10);
    expect(groupAdvantages([0.9, 0.9, 0.9])).toEqual([0, 0, 0]);
    expect(groupAdvantages([1])).toEqual([0]);
  });

  it('SFT learns the format, reads the evidence and the question, and writes what each says', async () => {
    const train = examples(200, 1);
    const held = examples(32, 2);
    const config = smallConfig('sft', null, (c) => {
      c.trainer.total_epochs = 16;
      c.worker.actor.global_batch_size = 16;
      c.trainer.save_freq = 1000;
      c.worker.actor.lr = 0.01;
      c.data.answer_balance = 0;
    });
    const outcome = await trainSft(context(config), train, ['direction', 'a', 'b', 'c', 'd', 'e']);
    expect(outcome.lastStep).toBe(16 * 13);
    const { reasoner } = outcome;
    const chains = writeChains(tf, reasoner.weights, reasoner, held, { mode: 'greedy' }).map((row) => reasoner.tokenizer.decode(row));
    const share = (test: (chain: string, example: Example) => boolean) => chains.filter((chain, index) => test(chain, held[index] as Example)).length / chains.length;
    const said = (chain: string, pattern: RegExp) => pattern.exec(chain)?.[1];
    expect(share((chain) => camReasonerReward(chain, 'A').format === 1)).toBe(1);
    // The observation follows the evidence (it alone tells left from right)…
    expect(share((chain, example) => said(chain, /slides (left|right)/) === said(example.chain ?? '', /slides (left|right)/))).toBeGreaterThanOrEqual(0.95);
    // …and the restated question follows the question vector.
    expect(share((chain, example) => said(chain, /asks about (left|right)/) === said(example.chain ?? '', /asks about (left|right)/))).toBeGreaterThanOrEqual(0.95);
    // …and the answer, their comparison (chance is 0.5, always No 0.69 on these 32).
    expect(share((chain, example) => camReasonerReward(chain, example.groundTruth).accuracy === 1)).toBeGreaterThanOrEqual(0.9);
    expect(tf.memory().numTensors).toBeLessThan(200);
  }, 120_000);

  it('GRPO from a weak SFT model raises the reward, logs EasyR1\'s metrics, and starts with zero KL and ratio 1', async () => {
    const sftConfig = smallConfig('sft', null, (c) => {
      c.trainer.total_epochs = 6;
      c.worker.actor.global_batch_size = 16;
      c.worker.actor.lr = 0.01;
    });
    const sft = await trainSft(context(sftConfig), examples(200, 3), ['direction', 'a', 'b', 'c', 'd', 'e']);
    const held = examples(32, 4);
    const before = validate(context(sftConfig), sft.reasoner, held);

    const grpoConfig = smallConfig('grpo', sft.checkpoint, (c) => {
      c.trainer.max_steps = 12;
      c.trainer.val_freq = 0;
      c.data.rollout_batch_size = 8;
      c.worker.rollout.n = 8;
      c.worker.actor.global_batch_size = 64;
      c.worker.actor.lr = 1e-3;
    });
    const grpoContext = context(grpoConfig);
    const lines: Record<string, number>[] = [];
    grpoContext.files.logMetrics = (_step, metrics) => {
      lines.push(metrics);
    };
    const grpo = await trainGrpo(grpoContext, examples(48, 5), held);
    const after = validate(context(grpoConfig), grpo.reasoner, held);
    expect(lines).toHaveLength(12);
    // The first minibatch is scored by the policy that sampled it, which is the reference too.
    expect(lines[0]?.['actor/ppo_kl']).toBeCloseTo(0, 6);
    expect(lines[0]?.['actor/kl_loss']).toBeCloseTo(0, 6);
    expect(lines[0]?.['actor/pg_clipfrac_higher']).toBe(0);
    for (const key of ['reward/overall', 'reward/format', 'reward/accuracy', 'actor/pg_loss', 'actor/entropy_loss', 'response_length/mean']) expect(lines[0]?.[key], key).toBeTypeOf('number');
    const early = (lines[0]?.['reward/overall'] ?? 0) + (lines[1]?.['reward/overall'] ?? 0);
    const late = (lines[10]?.['reward/overall'] ?? 0) + (lines[11]?.['reward/overall'] ?? 0);
    expect(late).toBeGreaterThan(early);
    expect(after['val/reward_score']).toBeGreaterThanOrEqual(before['val/reward_score'] as number);
    expect(lines[11]?.['actor/kl_loss']).toBeGreaterThan(0);
  }, 120_000);

  it('online filtering keeps only groups neither all right nor all wrong, and skips the update when none is left', async () => {
    const sftConfig = smallConfig('sft', null, (c) => {
      c.trainer.total_epochs = 2;
      c.worker.actor.global_batch_size = 16;
    });
    const sft = await trainSft(context(sftConfig), examples(64, 8), ['direction', 'a', 'b', 'c', 'd', 'e']);
    const run = async (low: number, high: number) => {
      const config = smallConfig('grpo', sft.checkpoint, (c) => {
        c.trainer.max_steps = 2;
        c.trainer.val_freq = 0;
        c.data.rollout_batch_size = 8;
        c.worker.rollout.n = 4;
        c.algorithm.online_filtering = true;
        c.algorithm.filter_low = low;
        c.algorithm.filter_high = high;
      });
      const grpoContext = context(config);
      const lines: Record<string, number>[] = [];
      grpoContext.files.logMetrics = (_step, metrics) => {
        lines.push(metrics);
      };
      await trainGrpo(grpoContext, examples(32, 9), []);
      return lines;
    };
    // Bounds no mean accuracy falls strictly between: every group is dropped, nothing is updated.
    for (const line of await run(0.99, 0.01)) {
      expect(line['online_filtering/kept_ratio']).toBe(0);
      expect(line['actor/pg_loss']).toBeUndefined();
      expect(line['reward/overall']).toBeTypeOf('number');
    }
    // EasyR1's defaults keep some groups and drop others (the weak model is right on some prompts, not all).
    for (const line of await run(0.01, 0.99)) {
      expect(line['online_filtering/kept_ratio']).toBeGreaterThanOrEqual(0);
      expect(line['online_filtering/kept_ratio']).toBeLessThanOrEqual(1);
    }
  }, 60_000);

  it('samples differently with different seeds and the same with the same seed', async () => {
    const config = smallConfig('sft', null, (c) => {
      c.trainer.total_epochs = 2;
    });
    const { reasoner } = await trainSft(context(config), examples(16, 6), ['direction', 'a', 'b', 'c', 'd', 'e']);
    const inputs = examples(4, 7);
    const sample = (seed: number) => writeChains(tf, reasoner.weights, reasoner, inputs, { mode: 'sample', temperature: 1, random: seededRandom(deriveSeed(seed, 'x')) });
    expect(sample(1)).toEqual(sample(1));
    expect(sample(1)).not.toEqual(sample(2));
    const greedy = writeChains(tf, reasoner.weights, reasoner, inputs, { mode: 'greedy' });
    expect(greedy.every((row) => row.length <= config.data.max_response_length)).toBe(true);
    expect(camReasonerReward(reasoner.tokenizer.decode(greedy[0] ?? []), 'B').format).toBeTypeOf('number');
  }, 60_000);
});
