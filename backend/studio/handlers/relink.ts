// `clips.relink`: the studio's door to backend/media/relink.ts, the same relink `frustum relink`
// runs. The folder is a path on the host's disk, picked by a person in a folder dialog; it must
// be absolute, since the host's working folder means nothing to the person who picked it.
import { isAbsolute } from 'node:path';
import { ApiError } from '../../../common/api/contract';
import { relinkClips } from '../../media/relink';
import type { Handlers, StudioContext } from '../context';

export function relinkHandlers(context: Pick<StudioContext, 'db' | 'emit'>): Handlers<'clips.relink'> {
  const { db, emit } = context;
  return {
    'clips.relink': (request) => {
      if (!isAbsolute(request.folder)) throw new ApiError('bad-request', `clips.relink: the folder must be an absolute path, got ${JSON.stringify(request.folder)}`);
      const report = relinkClips(db, request.folder, request.clipIds === undefined ? {} : { clipIds: request.clipIds });
      // The Library shows each sample's media status: the relinked clips' samples are refetched.
      if (report.relinked > 0) emit('samples.changed', { ids: report.sampleIds, reason: 'import' });
      return { relinked: report.relinked, stillMissing: report.stillMissing, clips: report.clips };
    },
  };
}
