// What a Frustum inference run stores in runs.meta (JSON, checked with zod when read back: the
// row may have been written by another version). The exact request settings, the dataset
// snapshot, and where the model came from.
import { boolean, number, object, optional, string, type infer as Infer } from 'zod';
import { inferenceSettings, libraryFilter } from '../../common/api/contract';

export const runMeta = object({
  settings: inferenceSettings,
  /** Requests in flight at once; `frustum export --format results` writes it as eval_bench's batch_size. */
  concurrency: number().int().positive(),
  /** sha256 over the frozen samples in order: id, question, options, answer, clip content hash. */
  snapshotHash: string(),
  filter: libraryFilter,
  /** The training job whose checkpoint answers (built-in runs), for lineage. */
  trainJobId: optional(number().int().positive()),
  /** The Inspect view's "asked in Inspect" run of these settings: no job, samples added as asked. */
  isInteractive: optional(boolean()),
});
export type RunMeta = Infer<typeof runMeta>;

/** The run's meta, or null for an imported run (another shape) or a damaged one. */
export function readRunMeta(text: string): RunMeta | null {
  try {
    const parsed = runMeta.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
