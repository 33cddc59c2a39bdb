// project.info: what the shell's title bar shows.
import { basename, extname } from 'node:path';
import { countSamplesAndClips } from '../../../db/samples';
import type { Handlers, StudioContext } from '../context';

export function projectHandlers(context: StudioContext): Handlers<'project.info'> {
  return {
    'project.info': () => {
      const totals = countSamplesAndClips(context.db);
      return {
        path: context.projectPath,
        name: basename(context.projectPath, extname(context.projectPath)),
        host: context.host,
        sampleCount: totals.samples,
        clipCount: totals.clips,
        readOnly: false,
      };
    },
  };
}
