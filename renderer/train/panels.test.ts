import { describe, expect, it } from 'vitest';
import { choosePanels, extraPanelId, otherKeys } from './panels';

const LLAMAFACTORY = ['loss', 'eval_loss', 'lr', 'epoch', 'grad_norm', 'throughput'];
const EASYR1 = ['reward/overall', 'reward/format', 'reward/accuracy', 'actor/pg_loss', 'actor/kl_loss', 'actor/entropy_loss', 'actor/lr', 'actor/grad_norm',
  'response_length/mean', 'critic/advantages/mean', 'val/reward_score', 'val/accuracy_reward', 'timing_s/step'];

describe('choosePanels', () => {
  it('shows an SFT run its loss, learning rate and gradient norm', () => {
    const panels = choosePanels(new Set(LLAMAFACTORY));
    expect(panels.map((panel) => [panel.id, panel.keys])).toEqual([['loss', ['loss', 'eval_loss']], ['lr', ['lr']], ['grad_norm', ['grad_norm']]]);
    expect(panels.some((panel) => panel.opensRollouts)).toBe(false);
  });

  it('shows a GRPO run its reward components (clickable for rollouts), validation, KL, entropy and length', () => {
    const panels = choosePanels(new Set(EASYR1));
    expect(panels.map((panel) => panel.id)).toEqual(['loss', 'reward', 'val', 'kl', 'entropy', 'length', 'lr', 'grad_norm']);
    expect(panels.find((panel) => panel.id === 'reward')).toMatchObject({ keys: ['reward/overall', 'reward/format', 'reward/accuracy'], opensRollouts: true });
    expect(panels.find((panel) => panel.id === 'val')?.keys).toEqual(['val/accuracy_reward', 'val/reward_score']);
  });

  it('adds a panel per extra key present and offers the rest', () => {
    const present = new Set(EASYR1);
    const panels = choosePanels(present, ['timing_s/step', 'missing/key', 'actor/kl_loss']);
    expect(panels.at(-1)).toMatchObject({ id: 'key-timing_s-step', keys: ['timing_s/step'] });
    expect(panels.filter((panel) => panel.keys.includes('actor/kl_loss'))).toHaveLength(1);
    expect(otherKeys(present, panels)).toEqual(['critic/advantages/mean']);
    expect(extraPanelId('a//b c')).toBe('key-a-b-c');
  });

  it('shows nothing for nothing', () => {
    expect(choosePanels(new Set())).toEqual([]);
  });
});
