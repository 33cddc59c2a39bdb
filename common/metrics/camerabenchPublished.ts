// Published CameraBench binary-classification numbers, for context beside a run's Table 1
// (../shared/data/README.md "Figures worth knowing", ../shared/data/evaluation.md §0.3, §1.3,
// §1.4). Every row says what its numbers are: CamReasoner's Table 1 puts its own ACCURACY beside
// baselines' AVERAGE PRECISION, and the CameraBench leaderboard's baselines are another version
// of the same models' AP. Only rows of the same metric may be compared.
import type { Primitive } from '../camerabench/primitives';

export interface PublishedTable1Row {
  label: string;
  metric: 'ap' | 'accuracy';
  /** Where the numbers are printed. */
  source: string;
  /** Fractions in [0, 1]; a primitive the source gives no number for is absent. */
  values: Partial<Record<Primitive, number>>;
  /** The source's Avg, as printed. */
  avg: number;
  /** What the numbers are and how they were averaged. */
  description: string;
}

const percentages = (entries: ReadonlyArray<readonly [Primitive, number]>): Partial<Record<Primitive, number>> =>
  Object.fromEntries(entries.map(([primitive, value]) => [primitive, value / 100]));

// evaluation.md §1.4: positive rate (= CamReasoner's "Random Chance" row) and CamReasoner-7B's
// Table-1 value per split, from camerabench_binary.json (7,679 questions) and the paper.
const PER_PRIMITIVE: ReadonlyArray<readonly [Primitive, number, number]> = [
  ['Move_In', 29.3, 68.7],
  ['Move_Out', 9.7, 57.7],
  ['Move_Up', 6.7, 84.9],
  ['Move_Down', 8.6, 80.5],
  ['Move_Right', 15.8, 84.6],
  ['Move_Left', 11.5, 83.2],
  ['Zoom_In', 11.1, 74.2],
  ['Zoom_Out', 10.2, 72.8],
  ['Pan_Right', 15.0, 85.7],
  ['Pan_Left', 15.4, 86.1],
  ['Tilt_Up', 12.7, 87.6],
  ['Tilt_Down', 7.7, 85.7],
  ['Roll_Clockwise', 8.9, 75.5],
  ['Roll_Counterclockwise', 10.2, 70.2],
  ['Static', 9.7, 80.1],
];

const CAMREASONER_TABLE1 = 'CamReasoner paper, Table 1';
const LEADERBOARD = 'CameraBench leaderboard/table.html (2025-10-23)';

export const PUBLISHED_TABLE1_ROWS: readonly PublishedTable1Row[] = [
  {
    label: 'CamReasoner-7B (paper, Table 1)',
    metric: 'accuracy',
    source: CAMREASONER_TABLE1,
    values: percentages(PER_PRIMITIVE.map(([primitive, , accuracy]) => [primitive, accuracy])),
    avg: 0.784,
    description:
      "ACCURACY, CamReasoner Table 1: CamReasoner's code computes only accuracy (eval_bench), while the table's baselines are AP " +
      '(evaluation.md §0.3); comparable only with accuracy rows. Avg as printed (the mean of its 15 printed values is 78.5)',
  },
  {
    label: 'Random Chance (paper, Table 1)',
    metric: 'ap',
    source: CAMREASONER_TABLE1,
    values: percentages(PER_PRIMITIVE.map(([primitive, positiveRate]) => [primitive, positiveRate])),
    avg: 0.122,
    description: "AP, CamReasoner Table 1: each primitive's positive rate (a constant score's AP), Avg the mean over primitives (942 / 7,679 = 12.3 micro)",
  },
  ...(
    [
      ['COLMAP', 27.3],
      ['MegaSAM', 50.1],
      ['Qwen2.5-VL-7B', 36.9],
      ['GPT-4o', 37.5],
      ['Cam-Motion-7B', 63.0],
      ['Cam-Motion-72B', 65.9],
    ] as const
  ).map(([model, avg]): PublishedTable1Row => ({
    label: `${model} (paper, Table 1)`,
    metric: 'ap',
    source: CAMREASONER_TABLE1,
    values: {},
    avg: avg / 100,
    description: 'AP, CamReasoner Table 1 (CameraBench average precision, mean over the 15 primitives); per-primitive values not recorded here',
  })),
  ...(
    [
      ['Qwen2.5-VL-72B (SFT)', 62.8],
      ['Qwen2.5-VL-32B (SFT)', 61.6],
      ['Qwen2.5-VL-7B (SFT)', 60.0],
      ['MegaSAM', 58.2],
      ['CUT3R', 50.9],
      ['GPT-4o', 36.4],
      ['Qwen2.5-VL-7B', 35.8],
    ] as const
  ).map(([model, avg]): PublishedTable1Row => ({
    label: `${model} (CameraBench leaderboard)`,
    metric: 'ap',
    source: LEADERBOARD,
    values: {},
    avg: avg / 100,
    description: `AP, ${LEADERBOARD}, Avg over the 15 primitives; a newer version of the baselines than CamReasoner's Table 1 (MegaSAM 58.2 there, 50.1 in the paper)`,
  })),
];
