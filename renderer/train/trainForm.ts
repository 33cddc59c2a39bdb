// The new-run form's state and the training request it makes: the engine decides the objective
// (LLaMA-Factory does SFT, EasyR1 GRPO), blank fields are left to the backend's defaults (the
// model, every GPU, the objective's records of split "train"), and fields that cannot be sent
// are named before anything is.
import type { LibraryFilter, ReviewStatus, TrainRequest } from '../../common/api/contract';
import { overrideProblem, toSets, type OverrideRow } from './overrides';

export type Engine = TrainRequest['engine'];

export interface TrainForm {
  engine: Engine;
  model: string;
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
  engine: 'llamafactory', model: '', gpus: '', nodes: '', rayAddress: '', viewFilter: null, splits: [], statuses: [], rows: [{ key: '', value: '' }],
};

export const OBJECTIVE_OF: Record<Engine, TrainRequest['objective']> = { llamafactory: 'sft', easyr1: 'grpo' };

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
  const gpus = positiveInteger(form.gpus, 'GPUs', 64, problems);
  const isEasyR1 = form.engine === 'easyr1';
  const nodes = isEasyR1 ? positiveInteger(form.nodes, 'Nodes', 1024, problems) : undefined;
  for (const row of form.rows) {
    const problem = overrideProblem(row);
    if (problem) problems.push(problem);
  }
  const rayAddress = isEasyR1 ? form.rayAddress.trim() : '';
  if (rayAddress !== '' && !/^https?:\/\/[^\s/]+/.test(rayAddress)) problems.push('Ray address: the dashboard\'s URL, like http://HEAD:8265');
  const model = form.model.trim();
  const sets = toSets(form.rows);
  const filter = formFilter(form);
  const request: TrainRequest = {
    engine: form.engine,
    objective: OBJECTIVE_OF[form.engine],
    ...(model !== '' ? { model } : {}),
    ...(gpus !== undefined ? { gpus } : {}),
    ...(nodes !== undefined ? { nodes } : {}),
    ...(rayAddress !== '' ? { rayAddress } : {}),
    ...(sets ? { sets } : {}),
    ...(filter ? { filter } : {}),
  };
  return { request, problems };
}
