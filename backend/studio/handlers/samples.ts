// Review's sample calls: the sample with its clip and head chain, saving a chain as a new
// revision (refused when another writer moved the head meanwhile), status, history, restore.
import { ApiError, type ClipDetail, type MethodResponse, type Revision } from '../../../common/api/contract';
import { primitiveOrNull } from '../../../common/camerabench/primitives';
import type { AuthorKind, RevisionRow } from '../../../db/chains';
import { revisionsOf } from '../../../db/chains';
import { setSampleStatus, writeLintCache } from '../../../db/library';
import {
  appendRevisionIfHead, clipById, revisionById, revisionCount, sampleById, sourcePathsOfSample, splitsOfClip,
} from '../../../db/samples';
import { contradictionsOf, lintEntry, readingForChecks } from '../../facts/lintCache';
import { parseStoredProbe } from '../../media';
import type { Handlers, StudioContext } from '../context';
import { parseJsonList } from './json';

type SampleMethods = 'sample.get' | 'sample.saveChain' | 'sample.setStatus' | 'sample.revisions' | 'sample.restore';
type SaveResult = MethodResponse<'sample.saveChain'>;

export function toRevision(row: RevisionRow): Revision {
  return { id: row.id, parentId: row.parent_id, text: row.text, authorKind: row.author_kind, author: row.author, createdAt: row.created_at };
}

/**
 * Appends a revision if the head is still `parent` (a person's edit, or a model's output made the
 * chain from Inspect); refreshes the sample's lint cache row in the same transaction.
 */
export function saveChainRevision(context: StudioContext, id: number, text: string, parent: number | null, by: { kind: AuthorKind; name: string }): SaveResult {
  const { db, lint, emit } = context;
  const sample = sampleById(db, id);
  if (!sample) throw new ApiError('not-found', `no sample ${id} in this project`);
  const reading = readingForChecks(db, sample.clip_id);
  const outcome = appendRevisionIfHead(db, id, parent, text, by, (revision) => {
    writeLintCache(
      db,
      [lintEntry({ sample_id: id, revision_id: revision.id, text, options: sample.options, primitive: sample.primitive, clip_id: sample.clip_id }, () => reading)],
      [id],
    );
  });
  if (!outcome.ok) {
    if (outcome.reason === 'no-sample') throw new ApiError('not-found', `no sample ${id} in this project`);
    throw new ApiError(
      'conflict',
      `sample ${id} was changed meanwhile (its chain is now revision ${outcome.headRevisionId ?? 'none'}, you edited ${parent ?? 'an empty chain'}); reload it and apply your edit again`,
    );
  }
  lint.markStale();
  emit('samples.changed', { ids: [id], reason: 'chain' });
  return { revision: toRevision(outcome.revision), contradictions: contradictionsOf(text, reading, sample.primitive, sample.options) };
}

export function samplesHandlers(context: StudioContext): Handlers<SampleMethods> {
  const { db, lint, emit, author } = context;

  function requireSample(id: number) {
    const sample = sampleById(db, id);
    if (!sample) throw new ApiError('not-found', `no sample ${id} in this project`);
    return sample;
  }

  function clipDetail(clipId: number | null): ClipDetail | null {
    if (clipId === null) return null;
    const clip = clipById(db, clipId);
    if (!clip) return null;
    const probe = parseStoredProbe(clip.probe);
    const fps = probe ? (probe.averageFrameRate > 0 ? probe.averageFrameRate : probe.realFrameRate) : null;
    return {
      id: clip.id,
      name: clip.name,
      mediaStatus: clip.media_status,
      mediaError: clip.media_error,
      durationSeconds: probe?.durationSeconds ?? null,
      fps: fps !== null && fps > 0 ? fps : null,
      frameCount: probe?.frameCount ?? null,
      width: probe?.displayWidth ?? null,
      height: probe?.displayHeight ?? null,
      splits: splitsOfClip(db, clip.id),
    };
  }

  return {
    'sample.get': (request) => {
      const sample = requireSample(request.id);
      const head = sample.head_revision_id === null ? undefined : revisionById(db, sample.head_revision_id);
      const contradictions = head ? contradictionsOf(head.text, readingForChecks(db, sample.clip_id), sample.primitive, sample.options) : [];
      return {
        id: sample.id,
        kind: sample.kind,
        problemId: sample.problem_id,
        question: sample.question,
        options: parseJsonList(sample.options),
        problemType: sample.problem_type,
        answer: sample.answer,
        primitive: primitiveOrNull(sample.primitive),
        split: sample.split,
        status: sample.status as MethodResponse<'sample.get'>['status'],
        tags: parseJsonList(sample.tags),
        sources: sourcePathsOfSample(db, sample.id),
        clip: clipDetail(sample.clip_id),
        head: head ? toRevision(head) : null,
        revisionCount: revisionCount(db, sample.id),
        contradictions,
        updatedAt: sample.updated_at,
      };
    },
    'sample.saveChain': (request) => saveChainRevision(context, request.id, request.text, request.parentRevisionId, { kind: 'person', name: author }),
    'sample.setStatus': (request) => {
      const result = setSampleStatus(db, request.id, request.status);
      if (result === null) throw new ApiError('not-found', `no sample ${request.id} in this project`);
      lint.markStale();
      emit('samples.changed', { ids: [request.id], reason: 'status' });
      return { status: request.status, updatedAt: result.updated_at };
    },
    'sample.revisions': (request) => {
      requireSample(request.id);
      return { revisions: revisionsOf(db, request.id).map(toRevision) };
    },
    'sample.restore': (request) => {
      requireSample(request.id);
      const old = revisionById(db, request.revisionId);
      if (!old || old.sample_id !== request.id) throw new ApiError('not-found', `sample ${request.id} has no revision ${request.revisionId}`);
      return { revision: saveChainRevision(context, request.id, old.text, request.parentRevisionId, { kind: 'person', name: author }).revision };
    },
  };
}
