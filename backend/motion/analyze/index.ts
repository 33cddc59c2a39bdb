// The geometric motion analyzer: frames or clips in, a MotionReading (scores for the 15
// CameraBench primitives, a timeline, an O-T-A draft on request) out.
export { ANALYSIS_DEFAULTS, analyzeFrames } from './analyzeFrames';
export type { AnalyzeOptions, FramesInput } from './analyzeFrames';
export { analyzeClip, analyzeClips } from './analyzeClips';
export type { ClipAnalysis, ClipAnalysisOptions, ClipInput } from './analyzeClips';
export { writeAnalyzerScoreFiles } from './scoreFiles';
export { loadOpenCv } from './opencv';
export { DEFAULT_TRACKING } from './track';
export type { TrackingOptions } from './track';
export { analyzeProject, clipIdentity } from './analyzeProject';
export type { AnalysisSettings, ProjectAnalysisOptions, ProjectAnalysisReport, StoredClipFile } from './analyzeProject';
export { analyzeClipWithEvidence, analyzeClipsWithEvidence, clipEvidence } from './analyzeClips';
export type { ClipAnalysisWithEvidence } from './analyzeClips';
export { EVIDENCE_DIMS, EVIDENCE_FEATURES, EVIDENCE_VERSION, pairEvidence } from './evidence';
export { ensureClipEvidence, EVIDENCE_SETTINGS } from './projectEvidence';
export type { EnsureEvidenceOptions, EnsureEvidenceReport } from './projectEvidence';
