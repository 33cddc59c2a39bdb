// One clip of a project through the geometric analyzer (the studio's `clip.analyze`, run as an
// 'analyze' job: backend/jobs/kinds.ts), its reading stored
// exactly as `frustum analyze PROJECT` stores it (db/analysis.ts saveClipAnalysis, keyed by
// analyzer version, settings and the clip's content; its motion evidence beside it), so the CLI and the studio reuse each
// other's readings. Drafts are not written as revisions here: the studio offers them from the
// stored reading ("insert analyzer draft"), and a person decides.
import { ApiError } from '../../../common/api/contract';
import { CURRENT_ANALYZER, findClipAnalysis, saveClipAnalysis } from '../../../db/analysis';
import type { WritableDB } from '../../../db/connection';
import { clipById } from '../../../db/samples';
import { confinedClipFile, isRefusal } from '../../media/confine';
import { ANALYSIS_DEFAULTS } from './analyzeFrames';
import { analyzeClipWithEvidence } from './analyzeClips';
import { clipIdentity, saveReadingAndEvidence } from './analyzeProject';

export async function analyzeProjectClip(db: WritableDB, clipId: number, signal?: AbortSignal): Promise<void> {
  const clip = clipById(db, clipId);
  if (!clip) throw new ApiError('not-found', `no clip ${clipId} in this project`);
  if (clip.media_status !== 'ok' || clip.file_path === null) {
    throw new ApiError('unavailable', `clip ${clip.name} is ${clip.media_status}; relink it before analyzing`);
  }
  // Checked now, before any reader opens it: outside its folder, or a FIFO, it fails here at once.
  const file = confinedClipFile(db, clip);
  if (isRefusal(file)) throw new ApiError('unavailable', `clip ${clip.name} was not analyzed: ${file.reason}`);
  const path = file.realPath;
  const settings = { fps: ANALYSIS_DEFAULTS.fps, width: ANALYSIS_DEFAULTS.width, fovDegrees: 'auto' as const };
  const analyzer = CURRENT_ANALYZER;
  let identity;
  try {
    identity = await clipIdentity({
      path, contentHash: clip.content_hash, fileSize: clip.file_size, fileMtime: clip.file_mtime, probe: clip.probe,
    }, signal);
  } catch (error) {
    throw new ApiError('unavailable', `clip ${clip.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { contentHash, clipFps, probe } = identity;
  const stored = findClipAnalysis(db, clipId, { analyzer, settings, contentHash });
  if (stored !== null) {
    // Same clip, analyzer and settings: the stored reading is the answer; make it current.
    if (!stored.isNewest) saveClipAnalysis(db, clipId, stored.analysis);
    return;
  }
  // The probe is already known: the analyzer skips its own ffprobe run.
  const { reading, evidence } = await analyzeClipWithEvidence({ path, probe }, { ...settings, ...(signal ? { signal } : {}) });
  saveReadingAndEvidence(db, clipId, { analyzer, settings, contentHash, clipFps, reading }, evidence);
}
