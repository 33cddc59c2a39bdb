// jobs.*: the project's long work, whoever started it (backend/jobs/supervisor.ts).
import type { Handlers, StudioContext } from '../context';

type JobMethods = 'jobs.list' | 'jobs.get' | 'jobs.start' | 'jobs.cancel' | 'jobs.log';

/** Log bytes per jobs.log call unless asked: a screenful of tail without flooding the socket. */
const DEFAULT_LOG_BYTES = 256 * 1024;

export function jobsHandlers(context: StudioContext): Handlers<JobMethods> {
  const { jobs } = context;
  return {
    'jobs.list': (request) => ({ jobs: jobs.list(request.limit ?? 100) }),
    'jobs.get': (request) => jobs.get(request.id),
    'jobs.start': (request) => {
      switch (request.kind) {
        case 'analyze':
          return jobs.start('analyze', { ...(request.clipIds ? { clipIds: request.clipIds } : {}), ...(request.force ? { force: true } : {}) });
        case 'synth':
          return jobs.start('synth', { count: request.count, seed: request.seed });
        default: {
          const unhandled: never = request;
          throw new Error(`unhandled job kind ${JSON.stringify(unhandled)}`);
        }
      }
    },
    'jobs.cancel': (request) => jobs.cancel(request.id),
    'jobs.log': (request) => jobs.log(request.id, request.offset ?? 0, request.maxBytes ?? DEFAULT_LOG_BYTES),
  };
}
