// A job id as typed on the command line (`frustum logs`, `frustum cancel`).
import { InputError } from '../../common/errors';

export function parseJobId(text: string, project: string): number {
  const id = Number(text);
  if (!/^\d{1,15}$/.test(text) || !Number.isSafeInteger(id) || id <= 0) {
    throw new InputError([{ file: project, reason: `"${text}" is not a job id (a whole number; frustum jobs ${project} lists them)` }]);
  }
  return id;
}
