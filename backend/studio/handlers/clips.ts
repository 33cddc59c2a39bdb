// A clip's media, its stored analyzer reading (a new one is a job: backend/jobs), and its primitive labels.
import { ApiError, type MethodResponse } from '../../../common/api/contract';
import { PRIMITIVES } from '../../../common/camerabench/primitives';
import { loadClipAnalysis } from '../../../db/analysis';
import { sampleIdsOfClip } from '../../../db/library';
import { clipById, labelsOfClip, setClipLabel } from '../../../db/samples';
import type { Handlers, StudioContext } from '../context';

type ClipMethods = 'clip.media' | 'clip.analysis' | 'clip.analyze' | 'clip.labels' | 'clip.setLabel';

export function clipsHandlers(context: StudioContext): Handlers<ClipMethods> {
  const { db, emit, author, media } = context;

  function requireClip(clipId: number) {
    const clip = clipById(db, clipId);
    if (!clip) throw new ApiError('not-found', `no clip ${clipId} in this project`);
    return clip;
  }

  function labelsOf(clipId: number): MethodResponse<'clip.labels'>['labels'] {
    const byPrimitive = new Map(labelsOfClip(db, clipId).map((label) => [label.primitive, label]));
    return PRIMITIVES.map((primitive) => {
      const label = byPrimitive.get(primitive);
      return { primitive, value: label === undefined ? null : label.value === 1 ? 1 : 0, author: label?.author ?? null };
    });
  }

  return {
    'clip.media': (request) => media.describe(request.clipId, context.mediaUrls),
    'clip.analysis': (request) => {
      requireClip(request.clipId);
      return { analysis: loadClipAnalysis(db, request.clipId) };
    },
    'clip.analyze': (request) => {
      requireClip(request.clipId);
      // A job of its own process: the host keeps answering, and the reading arrives with
      // job.finished (then clip.analysis returns it), however long the clip.
      return { jobId: context.jobs.start('analyze', { clipIds: [request.clipId] }).id };
    },
    'clip.labels': (request) => {
      requireClip(request.clipId);
      return { labels: labelsOf(request.clipId) };
    },
    'clip.setLabel': (request) => {
      requireClip(request.clipId);
      setClipLabel(db, request.clipId, request.primitive, request.value, author);
      emit('samples.changed', { ids: sampleIdsOfClip(db, request.clipId), reason: 'labels' });
      return { labels: labelsOf(request.clipId) };
    },
  };
}
