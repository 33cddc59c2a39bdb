// What both objectives share while they run: TensorFlow.js, the run folder's files, the config,
// the output lines, the wall-time cap and the checkpoint writer (the model, Adam's state and the
// ONNX export, together in one global_step_N/actor folder).
import type * as tfjs from '@tensorflow/tfjs';
import { deriveSeed, seededRandom } from '../../common/random';
import { readCheckpoint } from '../model/checkpoint';
import type { TF } from '../model/network';
import { checkpointOf, reasonerFromCheckpoint, type Reasoner } from '../model/reasoner';
import { exportOnnx } from '../onnx/export';
import type { BuiltinConfig } from '../../backend/engines/builtinConfig';
import { optimizerFiles, restoreOptimizer } from './optimizerState';
import type { RunFiles } from './runFiles';

export interface TrainerContext {
  tf: TF;
  folder: string;
  config: BuiltinConfig;
  files: RunFiles;
  /** A line of the trainer's output (the job's log). */
  out(line: string): void;
  /** Facts recorded in every checkpoint's model.json. */
  about: Record<string, string>;
  signal?: AbortSignal;
  /** ms since the epoch after which the trainer stops at the next step (with a checkpoint); Infinity without a cap. */
  deadline: number;
}

/** The same permutation for the same seed and epoch, so a resumed run takes the batches it would have. */
export function shuffledOrder(count: number, seed: number, epoch: number): number[] {
  const random = seededRandom(deriveSeed(seed, 'order', epoch));
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return order;
}

/** The trained variables in parameterShapes order: Adam's restored moments are matched by position. */
export function trainedVariables(reasoner: Reasoner): tfjs.Variable[] {
  return Object.values(reasoner.weights);
}

export async function saveCheckpoint(context: TrainerContext, reasoner: Reasoner, optimizer: tfjs.Optimizer, step: number, objective: string, validationScore: number | null): Promise<string> {
  const checkpoint = checkpointOf(reasoner, { step, objective, about: context.about });
  const onnx = exportOnnx(reasoner.shape, checkpoint.weights);
  const folder = context.files.saveCheckpoint(step, checkpoint, {
    'encoder.onnx': onnx.encoder,
    'decoder.onnx': onnx.decoder,
    ...(await optimizerFiles(optimizer)),
  }, validationScore);
  context.out(`saved checkpoint ${folder}`);
  return folder;
}

/** The run's last checkpoint when it is being resumed: the model, and the step it reached. */
export async function resumePoint(context: TrainerContext, optimizer: () => tfjs.Optimizer): Promise<{ reasoner: Reasoner; step: number; optimizer: tfjs.Optimizer } | null> {
  const tracker = context.files.tracker();
  if (tracker === null || tracker.last_global_step === 0) return null;
  const reasoner = reasonerFromCheckpoint(context.tf, readCheckpoint(tracker.last_actor_path));
  const restored = optimizer();
  const hadState = await restoreOptimizer(context.tf, restored, tracker.last_actor_path);
  context.out(`Found latest checkpoint ${tracker.last_actor_path}: resuming after step ${tracker.last_global_step}${hadState ? '' : ' (no optimizer state saved: Adam starts cold)'}`);
  return { reasoner, step: tracker.last_global_step, optimizer: restored };
}

export function setLearningRate(optimizer: tfjs.Optimizer, rate: number): void {
  // tfjs reads the rate on every applyGradients; it has no public setter.
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/** Linear warm-up over the first 5 % of steps, then cosine decay to a tenth (the HF Trainer's cosine with warmup_ratio). */
export function learningRateAt(peak: number, step: number, total: number): number {
  const warmup = Math.max(1, Math.round(total * 0.05));
  if (step <= warmup) return (peak * step) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
  return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** Whether the wall-time cap has come (said in the output, as the run's last line about it); throws on a cancel. */
export function isOutOfTime(context: TrainerContext, step: number): boolean {
  context.signal?.throwIfAborted();
  if (Date.now() < context.deadline) return false;
  context.out(`stopping after step ${step}: trainer.max_seconds ${context.config.trainer.max_seconds} reached`);
  return true;
}

/** The run's last checkpoint: the one already saved at this step, else one saved now (none before the first step). */
export async function finalCheckpoint(context: TrainerContext, reasoner: Reasoner, optimizer: tfjs.Optimizer, step: number, objective: string, saved: string | null, validationScore: number | null): Promise<string | null> {
  if (step === 0) return saved;
  if (saved !== null && saved === context.files.checkpointFolder(step)) return saved;
  return saveCheckpoint(context, reasoner, optimizer, step, objective, validationScore);
}
