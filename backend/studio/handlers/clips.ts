// A clip's media, its stored analyzer reading (and a new one), and its primitive labels.
import { ApiError, type MethodResponse } from '../../../common/api/contract';
import { PRIMITIVES } from '../../../common/camerabench/primitives';
import { loadClipAnalysis } from '../../../db/analysis';
import { markLintPending, sampleIdsOfClip } from '../../../db/library';
import { clipById, labelsOfClip, setClipLabel } from '../../../db/samples';
import { analyzeProjectClip } from '../analyzeClip';
import type { Handlers, StudioContext } from '../context';

type ClipMethods = 'clip.media' | 'clip.analysis' | 'clip.analyze' | 'clip.labels' | 'clip.setLabel';

export function clipsHandlers(context: StudioContext): Handlers<ClipMethods> {
  const { db, lint, emit, author, media } = context;
  let jobCounter = 0;

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
    'clip.analyze': async (request) => {
      const clip = requireClip(request.clipId);
      const jobId = `analyze-${Date.now().toString(36)}-${(jobCounter++).toString(36)}`;
      emit('job.progress', { jobId, kind: 'analyze', done: 0, total: 1, message: `analyzing ${clip.name}` });
      try {
        await analyzeProjectClip(db, request.clipId);
      } catch (error) {
        emit('job.finished', { jobId, error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      emit('job.progress', { jobId, kind: 'analyze', done: 1, total: 1, message: `analyzed ${clip.name}` });
      emit('job.finished', { jobId, error: null });
      const ids = sampleIdsOfClip(db, request.clipId);
      // A new reading changes what the clip's chains contradict: relint them.
      markLintPending(db, ids);
      lint.markStale();
      emit('samples.changed', { ids, reason: 'analysis' });
      const analysis = loadClipAnalysis(db, request.clipId);
      if (analysis === null) throw new ApiError('internal', `clip.analyze: the reading of ${clip.name} was not stored`);
      return { analysis };
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
