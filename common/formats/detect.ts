// Which format a file is in, from the shape of its records. Each format has keys no other
// has; a record with the telltale keys of two formats is reported as ambiguous rather than
// guessed, because importing a file as the wrong format silently loses data.
import type { JsonLayout } from './jsonText';
import type { FormatName } from './schemas';

const SIGNATURES: ReadonlyArray<{ format: FormatName; keys: readonly string[] }> = [
  { format: 'sft', keys: ['messages'] },
  { format: 'results', keys: ['problem', 'solution', 'output', 'prediction', 'accuracy'] },
  { format: 'eval', keys: ['problem', 'solution', 'path'] },
  { format: 'rl', keys: ['problem', 'answer', 'videos'] },
  { format: 'camerabench', keys: ['image', 'question', 'label'] },
  { format: 'camerabench-scores', keys: ['video_path', 'question', 'ground_truth_label', 'score'] },
  { format: 'camerabench-vqa', keys: ['pos_video', 'neg_video', 'pos_text', 'neg_text'] },
  { format: 'camerabench-caption', keys: ['video', 'question', 'answer'] },
  // RefineShot's rows have ShotBench's keys: which of the two a file is, its name says (below).
  { format: 'shotbench', keys: ['index', 'path', 'question', 'options', 'answer', 'category'] },
];

/**
 * ShotBench's test set and RefineShot's refined copy have the same columns, and their
 * camera-movement rows are the same rows: only the file can say which benchmark it is. A file
 * whose name says "refine" (refineshot_test_refined_3572.jsonl, RefineShot's own files) is
 * RefineShot's; any other is ShotBench's; `--format shotbench|refineshot` overrides.
 */
export function shotBenchFormatOfFile(fileName: string): 'shotbench' | 'refineshot' {
  return /refine/i.test(fileName) ? 'refineshot' : 'shotbench';
}

export type Detection = { ok: true; format: FormatName } | { ok: false; reason: string };

/** The keys under which wrapper objects hold their records. */
export const RECORD_KEYS = ['results', 'scores'] as const;

/** `fileName` (the file's base name) tells ShotBench from RefineShot; without it such a file reads as ShotBench. */
export function detectFormat(layout: JsonLayout, firstRecord: unknown, container: Record<string, unknown> | null, fileName = ''): Detection {
  if (layout.kind === 'object') {
    if (layout.key === 'results') return { ok: true, format: 'results' };
    if (layout.key === 'scores') return { ok: true, format: 'camerabench-scores' };
    const keys = container ? Object.keys(container).slice(0, 8).join(', ') : '';
    return { ok: false, reason: `a JSON object with keys [${keys}], but no "results" or "scores" list: not a format Frustum knows` };
  }
  if (firstRecord === undefined) return { ok: false, reason: 'the file holds no records, so its format cannot be told; pass --format' };
  if (firstRecord === null || typeof firstRecord !== 'object' || Array.isArray(firstRecord)) {
    return { ok: false, reason: 'the first record is not a JSON object' };
  }
  const keys = new Set(Object.keys(firstRecord));
  const matches = SIGNATURES.filter((signature) => signature.keys.every((key) => keys.has(key))).map((s) => s.format);
  // Results records are evaluation records with the model's answer added: results wins.
  const candidates = matches.includes('results') ? matches.filter((format) => format !== 'eval') : matches;
  const [only, ...others] = candidates;
  if (only !== undefined && others.length === 0) return { ok: true, format: only === 'shotbench' ? shotBenchFormatOfFile(fileName) : only };
  if (only !== undefined) {
    return { ok: false, reason: `ambiguous: the records look like ${candidates.join(' and ')}; pass --format to choose` };
  }
  const shown = [...keys].slice(0, 10).join(', ');
  return {
    ok: false,
    reason:
      `unrecognised records (keys: ${shown}); expected sft (messages), rl (problem, answer, videos), ` +
      'eval (problem, solution, path), results, camerabench (image, question, label), camerabench-scores, ' +
      'camerabench-vqa (pos_video, neg_video, pos_text, neg_text), camerabench-caption (video, question, answer), ' +
      'shotbench or refineshot (index, type, path, question, options, answer, category)',
  };
}
