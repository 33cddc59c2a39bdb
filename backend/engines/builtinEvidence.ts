// A built-in run's data/evidence.json, written by its job once the snapshot is frozen: every clip
// the records name gets its motion evidence (tracked first where the project has none yet), keyed
// by the media path the records use, so the trainer reads the run folder and nothing else.
import { ProjectError } from '../../common/errors';
import { evidenceOfClips } from '../../db/evidence';
import { clipsOfSamples } from '../../db/trainerOutput';
import type { JobContext } from '../jobs/kinds';
import { confinedClipFile, isRefusal } from '../media/confine';
import { EVIDENCE_FEATURES, EVIDENCE_VERSION } from '../motion/analyze/evidence';
import { ensureClipEvidence, EVIDENCE_SETTINGS } from '../motion/analyze/projectEvidence';
import { writeEvidenceFile, type ClipEvidenceData } from './evidenceFile';
import type { Snapshot } from './snapshot';

export async function writeRunEvidence(context: JobContext, snapshot: Snapshot, folder: string): Promise<void> {
  const sampleIds = [...snapshot.sampleIds, ...snapshot.valSampleIds];
  const clips = clipsOfSamples(context.db, sampleIds);
  const clipIds = [...new Set(clips.map((clip) => clip.id))];
  context.progress(0, clipIds.length, 'motion evidence of the clips');
  const report = await ensureClipEvidence(context.db, clipIds, {
    signal: context.signal,
    onClip: (done, total) => context.progress(done, total, `motion evidence: clip ${done} of ${total}`),
  });
  context.log(`motion evidence: ${report.reused} clip(s) already tracked, ${report.computed} tracked now`);
  if (report.failed.length > 0) {
    const shown = report.failed.slice(0, 3).map((failure) => `${failure.name}: ${failure.reason}`);
    throw new ProjectError(folder, `no motion evidence for ${report.failed.length} clip(s) (${shown.join('; ')}${report.failed.length > 3 ? '; …' : ''})`);
  }
  const stored = evidenceOfClips(context.db, clipIds, { settings: EVIDENCE_SETTINGS });
  // The snapshot linked each record's media path to the clip's real file; the evidence follows the same link.
  const linkOfTarget = new Map(snapshot.media.map(({ link, target }) => [target, link]));
  const byLink = new Map<string, ClipEvidenceData>();
  for (const clip of clips) {
    const evidence = stored.get(clip.id);
    const file = confinedClipFile(context.db, clip);
    const link = isRefusal(file) ? undefined : linkOfTarget.get(file.realPath);
    if (evidence === undefined || link === undefined || byLink.has(link)) continue;
    byLink.set(link, { fps: evidence.fps, pairs: evidence.pairs, dims: evidence.dims, data: evidence.data });
  }
  writeEvidenceFile(folder, { version: EVIDENCE_VERSION, features: [...EVIDENCE_FEATURES], clips: byLink });
}
