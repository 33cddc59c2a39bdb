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
];

export type Detection = { ok: true; format: FormatName } | { ok: false; reason: string };

/** The keys under which wrapper objects hold their records. */
export const RECORD_KEYS = ['results', 'scores'] as const;

export function detectFormat(layout: JsonLayout, firstRecord: unknown, container: Record<string, unknown> | null): Detection {
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
  if (only !== undefined && others.length === 0) return { ok: true, format: only };
  if (only !== undefined) {
    return { ok: false, reason: `ambiguous: the records look like ${candidates.join(' and ')}; pass --format to choose` };
  }
  const shown = [...keys].slice(0, 10).join(', ');
  return {
    ok: false,
    reason:
      `unrecognised records (keys: ${shown}); expected sft (messages), rl (problem, answer, videos), ` +
      'eval (problem, solution, path), results, camerabench (image, question, label) or camerabench-scores',
  };
}
