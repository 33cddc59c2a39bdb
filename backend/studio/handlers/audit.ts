// stats.audit: the shortcut audit `frustum audit` prints (backend/evaluation/audit.ts), for the
// Stats screen. A read over every sample with a reference letter; 100k samples take seconds.
import { auditProject } from '../../evaluation/audit';
import type { Handlers, StudioContext } from '../context';

export function auditHandlers(context: StudioContext): Handlers<'stats.audit'> {
  return {
    'stats.audit': ({ splitBy }) => auditProject(context.db, { splitBy: splitBy ?? 'auto' }),
  };
}
