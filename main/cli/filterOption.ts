// `--filter JSON` (any Library filter) with `--split` and `--status` on top: how `frustum train`
// and `frustum infer` choose samples, read the same way.
import { libraryFilter, type LibraryFilter } from '../../common/api/contract';
import { UsageError } from '../../common/errors';

export interface FilterOptions {
  filter?: string;
  split?: string[];
  status?: Array<'draft' | 'reviewed' | 'accepted' | 'rejected'>;
}

/** The filter the options give, or undefined when none of them was given (the command's default). */
export function filterOf(options: FilterOptions): LibraryFilter | undefined {
  let filter: Record<string, unknown> = {};
  if (options.filter !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(options.filter);
    } catch (error) {
      throw new UsageError(`--filter is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const checked = libraryFilter.safeParse(parsed);
    if (!checked.success) throw new UsageError(`--filter is not a Library filter: ${checked.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ')}`);
    filter = checked.data;
  }
  if (options.split !== undefined) filter['split'] = options.split;
  if (options.status !== undefined) filter['status'] = options.status;
  return options.filter === undefined && options.split === undefined && options.status === undefined ? undefined : (filter as LibraryFilter);
}
