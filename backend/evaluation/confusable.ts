// Confusable-pair matrices for a binary run: the motions a model mistakes for each other (a pan
// for a truck, a tilt for a pedestal, a zoom for a dolly, in for out). For every clip whose
// ground truth — the reference answers of its binary questions — has exactly one motion of a pair
// true, what the model answered to the two questions: Yes to the first only, the second only,
// both, or neither. Rows are the true motion. A clip counts in a pair's matrix only when both
// of its questions were answered in the run.
import type { ConfusionMatrix } from '../../common/api/contract';
import { primitiveInfo, type Primitive } from '../../common/camerabench/primitives';

export interface SaidYesItem {
  clipId: number;
  primitive: Primitive;
  /** The reference answer. */
  truth: 'yes' | 'no';
  /** What the model answered. */
  saidYes: boolean;
}

/** The pairs, each [family, first, second]: CameraBench's primitives (common/camerabench/primitives.ts). */
export const CONFUSABLE_PAIRS: ReadonlyArray<readonly [family: string, first: Primitive, second: Primitive]> = [
  ['pan vs truck', 'Pan_Left', 'Move_Left'],
  ['pan vs truck', 'Pan_Right', 'Move_Right'],
  ['tilt vs pedestal', 'Tilt_Up', 'Move_Up'],
  ['tilt vs pedestal', 'Tilt_Down', 'Move_Down'],
  ['zoom vs dolly', 'Zoom_In', 'Move_In'],
  ['zoom vs dolly', 'Zoom_Out', 'Move_Out'],
  ['in vs out', 'Move_In', 'Move_Out'],
  ['in vs out', 'Zoom_In', 'Zoom_Out'],
];

/** One matrix per pair, in CONFUSABLE_PAIRS order; pairs no clip of the run asks both questions of are left out. */
export function confusableMatrices(items: readonly SaidYesItem[]): ConfusionMatrix[] {
  const byClip = new Map<number, Map<Primitive, SaidYesItem>>();
  for (const item of items) {
    const clip = byClip.get(item.clipId) ?? new Map<Primitive, SaidYesItem>();
    byClip.set(item.clipId, clip);
    clip.set(item.primitive, item);
  }
  const matrices: ConfusionMatrix[] = [];
  for (const [family, first, second] of CONFUSABLE_PAIRS) {
    const firstLabel = primitiveInfo(first).label;
    const secondLabel = primitiveInfo(second).label;
    // [truly first, truly second] × [Yes to first only, second only, both, neither]
    const counts = [[0, 0, 0, 0], [0, 0, 0, 0]];
    let asked = 0;
    let bothTrue = 0;
    let neitherTrue = 0;
    for (const clip of byClip.values()) {
      const a = clip.get(first);
      const b = clip.get(second);
      if (a === undefined || b === undefined) continue;
      asked += 1;
      const isFirstTrue = a.truth === 'yes';
      const isSecondTrue = b.truth === 'yes';
      if (isFirstTrue && isSecondTrue) {
        bothTrue += 1;
        continue;
      }
      if (!isFirstTrue && !isSecondTrue) {
        neitherTrue += 1;
        continue;
      }
      const column = a.saidYes && b.saidYes ? 2 : a.saidYes ? 0 : b.saidYes ? 1 : 3;
      const row = counts[isFirstTrue ? 0 : 1] as number[];
      row[column] = (row[column] ?? 0) + 1;
    }
    if (asked === 0) continue;
    matrices.push({
      id: `confusable/${first}-${second}`,
      title: `${family}: ${firstLabel} vs ${secondLabel}`,
      rowLabels: [`truly ${firstLabel}`, `truly ${secondLabel}`],
      columnLabels: [`Yes to ${firstLabel} only`, `Yes to ${secondLabel} only`, 'Yes to both', 'Yes to neither'],
      counts,
      notes: [
        `${asked} clips have both questions answered in this run; ${asked - bothTrue - neitherTrue} have exactly one of the two motions true (the rows), ${bothTrue} both and ${neitherTrue} neither (not counted).`,
        'Ground truth: the reference answers of the clip\'s binary questions. Answered Yes: the chosen option is Yes (a score file\'s score over 0.5).',
      ],
    });
  }
  return matrices;
}
