// Motion evidence for clips that have none yet (issue 11): projects analyzed before evidence
// existed have readings but no evidence, and analyzeProject reuses those readings without
// tracking again. Training and inference call this first, so every clip they read has
// evidence of the current version, tracked at the analyzer's defaults.
import type { WritableDB } from '../../../db/connection';
import { EVIDENCE_VERSION, hasClipEvidence, saveClipEvidence } from '../../../db/evidence';
import { clipById } from '../../../db/samples';
import { confinedClipFile, isRefusal } from '../../media/confine';
import { ANALYSIS_DEFAULTS } from './analyzeFrames';
import { clipEvidence } from './analyzeClips';
import { clipIdentity } from './analyzeProject';
import { EVIDENCE_DIMS } from './evidence';

export interface EnsureEvidenceOptions {
  /** A cancel stops at the next clip (its decoder killed) and throws. */
  signal?: AbortSignal;
  /** Called as each clip is settled (computed, reused or failed), in input order. */
  onClip?: (done: number, total: number, clipId: number) => void;
}

export interface EnsureEvidenceReport {
  computed: number;
  reused: number;
  /** Clips that have no evidence after this: missing, refused or undecodable, with why. */
  failed: Array<{ clipId: number; name: string; reason: string }>;
}

/**
 * The sampling evidence is tracked at: the analyzer's, as the studio's `clip.analyze` uses. Pass
 * it to evidenceOfClips to read exactly what this ensures (a project analyzed at other settings
 * may hold newer rows of those).
 */
export const EVIDENCE_SETTINGS = { fps: ANALYSIS_DEFAULTS.fps, width: ANALYSIS_DEFAULTS.width } as const;

/**
 * Tracks and stores the evidence of each clip that lacks it for its current content; a clip
 * that cannot be tracked is reported, never thrown for (only an abort throws).
 */
export async function ensureClipEvidence(db: WritableDB, clipIds: readonly number[], options: EnsureEvidenceOptions = {}): Promise<EnsureEvidenceReport> {
  const { signal } = options;
  const report: EnsureEvidenceReport = { computed: 0, reused: 0, failed: [] };
  const unique = [...new Set(clipIds)];
  for (const [index, clipId] of unique.entries()) {
    signal?.throwIfAborted();
    const outcome = await ensureOne(db, clipId, signal);
    if (outcome === 'computed') report.computed += 1;
    else if (outcome === 'reused') report.reused += 1;
    else report.failed.push({ clipId, ...outcome });
    options.onClip?.(index + 1, unique.length, clipId);
  }
  return report;
}

async function ensureOne(db: WritableDB, clipId: number, signal: AbortSignal | undefined): Promise<'computed' | 'reused' | { name: string; reason: string }> {
  const clip = clipById(db, clipId);
  if (clip === undefined) return { name: `clip ${clipId}`, reason: `no clip ${clipId} in this project` };
  if (clip.media_status !== 'ok' || clip.file_path === null) return { name: clip.name, reason: `clip ${clip.name} is ${clip.media_status}; relink it` };
  // The same check analyzeProjectClip makes before any reader opens the file (outside its folder, a FIFO).
  const file = confinedClipFile(db, clip);
  if (isRefusal(file)) return { name: clip.name, reason: file.reason };
  try {
    const { contentHash, probe } = await clipIdentity({
      path: file.realPath, contentHash: clip.content_hash, fileSize: clip.file_size, fileMtime: clip.file_mtime, probe: clip.probe,
    }, signal);
    if (hasClipEvidence(db, clipId, { version: EVIDENCE_VERSION, contentHash, settings: EVIDENCE_SETTINGS })) return 'reused';
    const pairs = await clipEvidence({ path: file.realPath, probe }, { ...EVIDENCE_SETTINGS, ...(signal ? { signal } : {}) });
    saveClipEvidence(db, clipId, { version: EVIDENCE_VERSION, contentHash, settings: EVIDENCE_SETTINGS, fps: EVIDENCE_SETTINGS.fps, pairs, dims: EVIDENCE_DIMS });
    return 'computed';
  } catch (error) {
    if (signal?.aborted) throw error;
    return { name: clip.name, reason: `${file.path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
