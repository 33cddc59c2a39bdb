// The words of a run's lineage line: dataset snapshot → job (→ the jobs that resumed it) →
// checkpoints, and the run's engine and objective as a person names them.
import type { Checkpoint, LibraryFilter, TrainRun } from '../../common/api/contract';

export const ENGINE_LABELS: Record<TrainRun['engine'], string> = { llamafactory: 'LLaMA-Factory', easyr1: 'EasyR1', builtin: 'Built-in' };
export const OBJECTIVE_LABELS: Record<TrainRun['objective'], string> = { sft: 'SFT', grpo: 'GRPO' };

export function shortHash(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 8);
}

/** A model id without its organisation: "Qwen2.5-VL-7B-Instruct". */
export function shortModel(model: string): string {
  const parts = model.split(/[\\/]/).filter((part) => part !== '');
  return parts[parts.length - 1] ?? model;
}

/** A filter in a few words ("split train · accepted, reviewed"); "all samples" when empty. */
export function filterSummary(filter: LibraryFilter): string {
  const parts: string[] = [];
  if (filter.split?.length) parts.push(`split ${filter.split.join(', ')}`);
  if (filter.status?.length) parts.push(filter.status.join(', '));
  if (filter.kind?.length) parts.push(`kind ${filter.kind.join(', ')}`);
  if (filter.primitive?.length) parts.push(filter.primitive.length > 2 ? `${filter.primitive.length} primitives` : filter.primitive.join(', '));
  if (filter.answer?.length) parts.push(`answer ${filter.answer.join(', ')}`);
  if (filter.tag?.length) parts.push(`tag ${filter.tag.join(', ')}`);
  if (filter.source?.length) parts.push(filter.source.length === 1 ? `source ${filter.source[0]?.split(/[\\/]/).pop() ?? ''}` : `${filter.source.length} sources`);
  if (filter.lint?.length) parts.push(`lint ${filter.lint.join(', ')}`);
  if (filter.media?.length) parts.push(`media ${filter.media.join(', ')}`);
  if (filter.search) parts.push(`“${filter.search}”`);
  if (filter.clip) parts.push(`clip ~${filter.clip}`);
  if (filter.hasContradiction) parts.push('contradicting');
  if (filter.clipInSeveralSplits) parts.push('clips in several splits');
  if (filter.sampleIds?.length) parts.push(`${filter.sampleIds.length} chosen samples`);
  if (filter.chainLength) parts.push(`chain ${filter.chainLength.min ?? 0}–${filter.chainLength.max ?? '∞'} words`);
  return parts.length === 0 ? 'all samples' : parts.join(' · ');
}

/** The checkpoints in step order, with the last and best marked: "checkpoint-200 ★best", "global_step_30 ◆last". */
export function checkpointLabel(checkpoint: Checkpoint): string {
  const marks = [checkpoint.isBest ? '★best' : '', checkpoint.isLast ? '◆last' : ''].filter(Boolean);
  return marks.length > 0 ? `${checkpoint.name} ${marks.join(' ')}` : checkpoint.name;
}

/** The jobs that continued this run's folder, oldest first (a resume of a resume follows its parent). */
export function resumesOf(run: TrainRun, runs: readonly TrainRun[]): TrainRun[] {
  const chain: TrainRun[] = [];
  let current = run.jobId;
  for (;;) {
    const next = runs.filter((candidate) => candidate.resumedFrom === current).sort((left, right) => left.jobId - right.jobId)[0];
    if (!next || chain.includes(next)) return chain;
    chain.push(next);
    current = next.jobId;
  }
}
