// The new-run form's state and the training request it makes. The engine decides the objective
// where it does only one (LLaMA-Factory SFT, EasyR1 GRPO); the built-in trainer does both, so
// the form carries an objective of its own for it. Blank fields are left to the backend's
// defaults (the model or, for built-in GRPO, the newest built-in SFT checkpoint; every GPU; the
// objective's records of split "train"), fields an engine does not take are not sent (the
// backend refuses GPUs, nodes and a Ray address for the built-in trainer), and fields that
// cannot be sent are named before anything is.
import type { LibraryFilter, ReviewStatus, TrainRequest, TrainRun } from '../../common/api/contract';
import { overrideProblem, toSets, type OverrideRow } from './overrides';

export type Engine = TrainRequest['engine'];
export type Objective = TrainRequest['objective'];

/** What each engine trains, its default first. */
export const ENGINE_OBJECTIVES: Record<Engine, readonly Objective[]> = { llamafactory: ['sft'], easyr1: ['grpo'], builtin: ['sft', 'grpo'] };

export interface TrainForm {
  engine: Engine;
  /** The objective chosen where the engine does more than one (the built-in trainer). */
  objective: Objective;
  /** A Hugging Face id or local folder (LLaMA-Factory, EasyR1). */
  model: string;
  /** Built-in GRPO: the SFT checkpoint folder to start from; apart from `model` so an HF id never lands here. */
  checkpoint: string;
  gpus: string;
  nodes: string;
  rayAddress: string;
  /** A Library saved view's filter to start from ('' = none). */
  viewFilter: LibraryFilter | null;
  splits: string[];
  statuses: ReviewStatus[];
  rows: OverrideRow[];
}

export const EMPTY_FORM: TrainForm = {
  engine: 'llamafactory', objective: 'sft', model: '', checkpoint: '', gpus: '', nodes: '', rayAddress: '', viewFilter: null, splits: [], statuses: [], rows: [{ key: '', value: '' }],
};

/** The objective the form trains: its own choice when the engine does it, else the engine's. */
export function formObjective(form: Pick<TrainForm, 'engine' | 'objective'>): Objective {
  const objectives = ENGINE_OBJECTIVES[form.engine];
  return objectives.includes(form.objective) ? form.objective : (objectives[0] ?? 'sft');
}

/** Which of the engine-dependent fields the form shows (and sends). */
export interface FormFields {
  /** 'model': an HF id or folder; 'checkpoint': built-in GRPO's SFT checkpoint; null: none (built-in SFT starts from scratch). */
  model: 'model' | 'checkpoint' | null;
  hasGpus: boolean;
  /** Nodes and a Ray address (EasyR1). */
  hasCluster: boolean;
  hasObjectiveChoice: boolean;
}

export function formFields(form: Pick<TrainForm, 'engine' | 'objective'>): FormFields {
  const engine = form.engine;
  switch (engine) {
    case 'llamafactory':
      return { model: 'model', hasGpus: true, hasCluster: false, hasObjectiveChoice: false };
    case 'easyr1':
      return { model: 'model', hasGpus: true, hasCluster: true, hasObjectiveChoice: false };
    case 'builtin':
      return { model: formObjective(form) === 'grpo' ? 'checkpoint' : null, hasGpus: false, hasCluster: false, hasObjectiveChoice: true };
    default:
      throw new Error(`unknown engine ${String(engine satisfies never)}`);
  }
}

function positiveInteger(text: string, name: string, max: number, problems: string[]): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    problems.push(`${name} must be a whole number from 1 to ${max}`);
    return undefined;
  }
  return value;
}

/** The filter the form describes; undefined leaves the choice to the backend (the objective's records of split "train"). */
export function formFilter(form: TrainForm): LibraryFilter | undefined {
  const filter: LibraryFilter = { ...(form.viewFilter ?? {}) };
  if (form.splits.length > 0) filter.split = [...form.splits];
  if (form.statuses.length > 0) filter.status = [...form.statuses];
  return Object.keys(filter).length > 0 ? filter : undefined;
}

export function toTrainRequest(form: TrainForm): { request: TrainRequest; problems: string[] } {
  const problems: string[] = [];
  const fields = formFields(form);
  const gpus = fields.hasGpus ? positiveInteger(form.gpus, 'GPUs', 64, problems) : undefined;
  const nodes = fields.hasCluster ? positiveInteger(form.nodes, 'Nodes', 1024, problems) : undefined;
  for (const row of form.rows) {
    const problem = overrideProblem(row);
    if (problem) problems.push(problem);
  }
  const rayAddress = fields.hasCluster ? form.rayAddress.trim() : '';
  if (rayAddress !== '' && !/^https?:\/\/[^\s/]+/.test(rayAddress)) problems.push('Ray address: the dashboard\'s URL, like http://HEAD:8265');
  const model = fields.model === 'model' ? form.model.trim() : fields.model === 'checkpoint' ? form.checkpoint.trim() : '';
  const sets = toSets(form.rows);
  const filter = formFilter(form);
  const request: TrainRequest = {
    engine: form.engine,
    objective: formObjective(form),
    ...(model !== '' ? { model } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
    ...(rayAddress !== '' ? { rayAddress } : {}),
    ...(sets ? { sets } : {}),
    ...(filter ? { filter } : {}),
  };
  return { request, problems };
}

/**
 * The built-in SFT checkpoints built-in GRPO can start from, newest run and step first: each
 * checkpoint's actor/ folder, where the trainer keeps model.json (what the backend checks for).
 */
export function builtinSftCheckpoints(runs: readonly TrainRun[]): string[] {
  const folders: string[] = [];
  const newestFirst = [...runs].sort((left, right) => right.jobId - left.jobId);
  for (const run of newestFirst) {
    if (run.engine !== 'builtin' || run.objective !== 'sft') continue;
    for (const checkpoint of [...run.checkpoints].sort((left, right) => right.step - left.step)) {
      if (checkpoint.weights !== 'full') continue;
      // The host's own separator: a Windows host sends backslashed paths.
      const separator = checkpoint.path.includes('\\') && !checkpoint.path.includes('/') ? '\\' : '/';
      const folder = `${checkpoint.path}${separator}actor`;
      if (!folders.includes(folder)) folders.push(folder);
    }
  }
  return folders;
}
