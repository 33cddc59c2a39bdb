// Which charts the Train view shows for a run: a fixed set of panels (loss, reward components,
// validation, KL, entropy, response length, learning rate, gradient norm), each shown when the
// run logged at least one of its keys, plus any other key the person adds as a panel of its own.
// LLaMA-Factory's trainer_log.jsonl names its keys plainly (loss, eval_loss, lr, grad_norm);
// EasyR1 flattens its metric dicts with slashes (reward/overall, actor/kl_loss, val/…).

export interface PanelDefinition {
  id: string;
  title: string;
  /** Keys in the order their lines are drawn; a key ending in '/' takes every key under it. */
  keys: readonly string[];
  /** Clicking a step opens that step's GRPO rollouts. */
  opensRollouts?: boolean;
}

export const PANELS: readonly PanelDefinition[] = [
  { id: 'loss', title: 'Loss', keys: ['loss', 'eval_loss', 'actor/pg_loss'] },
  { id: 'reward', title: 'Reward', keys: ['reward/overall', 'reward/format', 'reward/accuracy'], opensRollouts: true },
  { id: 'val', title: 'Validation', keys: ['val/'], opensRollouts: false },
  { id: 'kl', title: 'KL', keys: ['actor/kl_loss'] },
  { id: 'entropy', title: 'Entropy', keys: ['actor/entropy_loss'] },
  { id: 'length', title: 'Response length', keys: ['response_length/mean'] },
  { id: 'lr', title: 'Learning rate', keys: ['lr', 'learning_rate', 'actor/lr'] },
  { id: 'grad_norm', title: 'Gradient norm', keys: ['grad_norm', 'actor/grad_norm'] },
];

export interface Panel {
  id: string;
  title: string;
  keys: string[];
  opensRollouts: boolean;
}

/** A panel id safe for a test id and a DOM attribute, for a key shown on its own. */
export function extraPanelId(key: string): string {
  return `key-${key.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-|-$/g, '')}`;
}

/**
 * The panels to show for the keys present (over every run drawn), in PANELS' order, each with
 * only the keys present; then one panel per extra key the person added (unless a fixed panel
 * shows it already).
 */
export function choosePanels(present: ReadonlySet<string>, extraKeys: readonly string[] = []): Panel[] {
  const sorted = [...present].sort();
  const panels: Panel[] = [];
  const shown = new Set<string>();
  for (const definition of PANELS) {
    const keys: string[] = [];
    for (const wanted of definition.keys) {
      const matches = wanted.endsWith('/') ? sorted.filter((key) => key.startsWith(wanted)) : present.has(wanted) ? [wanted] : [];
      for (const key of matches) {
        if (!keys.includes(key)) keys.push(key);
      }
    }
    if (keys.length === 0) continue;
    for (const key of keys) shown.add(key);
    panels.push({ id: definition.id, title: definition.title, keys, opensRollouts: definition.opensRollouts === true });
  }
  for (const key of extraKeys) {
    if (!present.has(key) || shown.has(key)) continue;
    shown.add(key);
    panels.push({ id: extraPanelId(key), title: key, keys: [key], opensRollouts: false });
  }
  return panels;
}

/** Keys present that no panel shows: what "add a chart" offers. */
export function otherKeys(present: ReadonlySet<string>, panels: readonly Panel[]): string[] {
  const shown = new Set(panels.flatMap((panel) => panel.keys));
  return [...present].filter((key) => !shown.has(key)).sort();
}
