// reward.py is what EasyR1 runs in training; common/ota/reward.ts is what the studio shows. They
// must agree to the bit, so these tests run the Python file under python3 and compare.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import cases from '../../../tests/reference/ota-cases.json';
import { HAS_PYTHON_WITH_YAML, PYTHON_SKIP_NOTE } from '../../../tests/support/python';
import { tempDir } from '../../../tests/support/tempDir';
import { camReasonerReward, type RewardScores } from '../../../common/ota/reward';

const REWARD_PY = join(import.meta.dirname, 'reward.py');

// Loads reward.py the way EasyR1's AutoRewardManager does, once, then makes each call in order
// (module state — the rollout step counter — carries over between calls, as in one Ray actor).
const DRIVER = `
import importlib.util, json, sys
request = json.load(sys.stdin)
spec = importlib.util.spec_from_file_location("custom_reward_fn", request["path"])
module = importlib.util.module_from_spec(spec)
sys.modules["custom_reward_fn"] = module
spec.loader.exec_module(module)
results = [module.compute_score(call["inputs"], **call["kwargs"]) for call in request["calls"]]
json.dump({"name": module.REWARD_NAME, "type": module.REWARD_TYPE, "results": results}, sys.stdout)
`;

interface RewardInput {
  response: string;
  response_length: number;
  ground_truth: string;
}

interface DriverCall {
  inputs: RewardInput[];
  kwargs?: Record<string, unknown>;
}

interface DriverOutput {
  name: string;
  type: string;
  results: RewardScores[][];
  stderr: string;
}

function runReward(calls: DriverCall[]): DriverOutput {
  const request = { path: REWARD_PY, calls: calls.map((call) => ({ inputs: call.inputs, kwargs: call.kwargs ?? {} })) };
  const result = spawnSync('python3', ['-c', DRIVER], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    // No __pycache__ beside reward.py in the working tree.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (result.status !== 0) throw new Error(`python3 exited with ${result.status}: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as Omit<DriverOutput, 'stderr'>), stderr: result.stderr };
}

const input = (response: string, groundTruth: string): RewardInput => ({
  response,
  response_length: Math.ceil(response.length / 4),
  ground_truth: groundTruth,
});

/** Deterministic pseudo-random responses built from the pieces the reward is sensitive to. */
function fuzzCases(count: number): Array<{ response: string; groundTruth: string }> {
  const pieces = [
    '<observation>', '</observation>', '<think>', '</think>', '<answer>', '</answer>', '< answer >', '</ answer>',
    'B', 'A', 'b', ' ', '\n', '\x85', '\u3000', '\ufeff', 'b+0', '1*B', '(B)', 'B.', 'x=B', '/', '2', '^', '{', '}',
    '\\frac', '\\text{', '1,000', '(1,2)', 'drifts right', 'pan left', '0.5', '1/2', 'AB', 'BA',
  ];
  const truths = ['B', '<answer>B</answer>', 'A', '(1,2)', '1/2', '\\frac12', 'AB', '1000', '<answer> b </answer>'];
  let state = 12345;
  const next = (modulo: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % modulo;
  };
  return Array.from({ length: count }, () => {
    const length = 1 + next(12);
    const response = Array.from({ length }, () => pieces[next(pieces.length)] ?? '').join('');
    return { response, groundTruth: truths[next(truths.length)] ?? 'B' };
  });
}

function grpo(scores: number[]): number[] {
  if (scores.length < 2) return scores.map(() => 0);
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((sum, score) => sum + (score - mean) ** 2, 0) / (scores.length - 1));
  return scores.map((score) => (score - mean) / (std + 1e-6));
}

const chain = (answer: string): string =>
  `<observation>The background drifts right.</observation><think>Uniform drift: a pan left.</think><answer>${answer}</answer>`;
const frustumTruth = (answer: string, sample: number, split: 'train' | 'val'): string => JSON.stringify({ answer, sample, split });

const python = HAS_PYTHON_WITH_YAML;
const suffix = PYTHON_SKIP_NOTE;

describe.skipIf(!python)(`reward.py scores like camReasonerReward${suffix}`, () => {
  it('declares itself a batch reward', () => {
    const output = runReward([{ inputs: [] }]);
    expect(output.type).toBe('batch');
    expect(output.name).toBe('frustum_camreasoner');
    expect(output.results).toEqual([[]]);
  });

  it('gives the same overall, format and accuracy on every reference case', () => {
    const output = runReward([{ inputs: cases.map((entry) => input(entry.response, entry.ground_truth)) }]);
    const scores = output.results[0] ?? [];
    expect(scores).toHaveLength(cases.length);
    cases.forEach((entry, index) => {
      expect(scores[index], entry.name).toStrictEqual(camReasonerReward(entry.response, entry.ground_truth));
    });
  });

  it('agrees on generated responses too', () => {
    const generated = fuzzCases(600);
    const output = runReward([{ inputs: generated.map((entry) => input(entry.response, entry.groundTruth)) }]);
    const scores = output.results[0] ?? [];
    generated.forEach((entry, index) => {
      expect(scores[index], JSON.stringify(entry)).toStrictEqual(camReasonerReward(entry.response, entry.groundTruth));
    });
  });

  it('reads the answer out of a Frustum ground truth and honours format_weight', () => {
    const response = chain('A');
    const output = runReward([
      { inputs: [input(response, frustumTruth('B', 3, 'train')), input(response, frustumTruth('A', 3, 'val'))] },
      { inputs: [input(response, 'A')], kwargs: { format_weight: 0.5 } },
    ]);
    expect(output.results[0]).toStrictEqual([camReasonerReward(response, 'B'), camReasonerReward(response, 'A')]);
    expect(output.results[1]).toStrictEqual([camReasonerReward(response, 'A', { formatWeight: 0.5 })]);
  });
});

describe.skipIf(!python)(`reward.py dumps training rollouts${suffix}`, () => {
  const responses = [chain('B'), chain('A'), 'B', '<think>no observation</think><answer>B</answer>'];

  function batch(samples: number[], split: 'train' | 'val' = 'train'): RewardInput[] {
    return samples.flatMap((sample) => responses.map((response) => input(response, frustumTruth('B', sample, split))));
  }

  it('appends one line per training call, numbered after the tracker, with GRPO advantages', () => {
    const folder = tempDir();
    const rolloutPath = join(folder, 'rollouts.jsonl');
    const trackerPath = join(folder, 'checkpoint_tracker.json');
    writeFileSync(trackerPath, JSON.stringify({ best_global_step: 7, best_val_reward_score: 0.5, last_global_step: 7, last_actor_path: '/x' }));
    const kwargs = { rollout_path: rolloutPath, group_size: 4, tracker_path: trackerPath };
    // The second batch interleaves two prompts, as EasyR1's _balance_batch does across GPUs.
    const interleaved = batch([14, 15]);
    const reordered = [0, 4, 1, 5, 2, 6, 3, 7].map((index) => interleaved[index] as RewardInput);
    const output = runReward([
      { inputs: batch([12, 13]), kwargs },
      { inputs: reordered, kwargs },
      { inputs: batch([20], 'val'), kwargs },
      { inputs: responses.map((response) => input(response, '<answer>B</answer>')), kwargs },
    ]);
    expect(output.results.map((scores) => scores.length)).toEqual([8, 8, 4, 4]);
    expect(output.results[3]).toStrictEqual(responses.map((response) => camReasonerReward(response, '<answer>B</answer>')));

    const lines = readFileSync(rolloutPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.step)).toEqual([8, 9]);
    expect(lines.map((line) => line.groups.map((group: { sample: number }) => group.sample))).toEqual([[12, 13], [14, 15]]);
    for (const line of lines) {
      expect(typeof line.time).toBe('number');
      for (const group of line.groups) {
        expect(group.ground_truth).toBe('B');
        expect(group.responses.map((response: { text: string }) => response.text)).toEqual(responses);
        const expectedScores = responses.map((response) => camReasonerReward(response, 'B'));
        expect(group.responses.map(({ overall, format, accuracy }: RewardScores) => ({ overall, format, accuracy }))).toStrictEqual(expectedScores);
        const advantages = grpo(expectedScores.map((scores) => scores.overall));
        group.responses.forEach((response: { advantage: number; length: number; text: string }, index: number) => {
          expect(Object.keys(response)).toEqual(['text', 'length', 'overall', 'format', 'accuracy', 'advantage']);
          expect(response.length).toBe(Math.ceil(response.text.length / 4));
          expect(response.advantage).toBeCloseTo(advantages[index] ?? NaN, 12);
        });
      }
    }
  });

  it('numbers steps from 1 without a tracker and groups consecutive chunks without sample ids', () => {
    const folder = tempDir();
    const rolloutPath = join(folder, 'rollouts.jsonl');
    const noSample = responses.map((response) => input(response, JSON.stringify({ answer: 'B', split: 'train' })));
    runReward([{ inputs: [...noSample, ...noSample], kwargs: { rollout_path: rolloutPath, group_size: 4, tracker_path: join(folder, 'absent.json') } }]);
    const [line] = readFileSync(rolloutPath, 'utf8').trim().split('\n').map((text) => JSON.parse(text));
    expect(line.step).toBe(1);
    expect(line.groups.map((group: { sample: null; responses: unknown[] }) => [group.sample, group.responses.length])).toEqual([[null, 4], [null, 4]]);
  });

  it('keeps scoring when the rollout file cannot be written', () => {
    const folder = tempDir();
    const output = runReward([
      { inputs: batch([1]), kwargs: { rollout_path: folder, group_size: 4 } },
      { inputs: batch([2]), kwargs: { rollout_path: folder, group_size: 4 } },
    ]);
    expect(output.results.map((scores) => scores.length)).toEqual([4, 4]);
    expect(output.stderr.match(/cannot write rollouts/g)).toHaveLength(1);
  });
});
