// The media service: ffmpeg discovery, probing, hashing, exact frames, frame sets,
// filmstrips and grayscale frames for the analyzer. Everything here is async, bounded in time
// and cancellable; decoding runs in child processes, sharing one pool sized to the cores.
import { createFrameCache, type ClipSource, type FilmstripRequest, type FpsRequest, type FrameCache, type FrameRequest } from './frameCache';

export { resolveFfmpeg, configureFluentFfmpeg, toolCandidates, checkCandidate } from './ffmpeg';
export type { MediaTool, MediaTools, ToolName, ToolSource, ToolCandidate, CandidateCheck } from './ffmpeg';
export { probeClip, parseStoredProbe, scanPackets, hasVaryingIntervals, ClipProbe } from './probe';
export type { ProbeResult, ProbeOptions, ProbeFailureKind, PacketScan } from './probe';
export { hashFile, fileIdentity } from './hash';
export type { FileIdentity } from './hash';
export { openGrayFrameStream, readGrayFrames } from './grayFrames';
export type { GrayFrames, GrayFrameStream, GrayFramesRequest } from './grayFrames';
export { createFrameCache, defaultCacheRoot, osCacheRoot, FilmstripLayout } from './frameCache';
export type { AllFrames, AllFramesRequest, ClipSource, FrameCache, FrameCacheOptions, FrameFormat, FrameImage, FrameRequest, FrameSet, FpsRequest, Filmstrip, FilmstripRequest } from './frameCache';
export { outputSize } from './decode';
export { createLimiter, mapPool, mediaLimiter, defaultConcurrency } from './pool';
export type { Limiter, MapPoolOptions } from './pool';
export { isAbortError, ProcessTimeoutError } from './process';

// Shortcuts on a cache in the OS cache folder, for callers without a project (the CLI on
// loose files, scripts). Hosts with a project create their own with createFrameCache.
let defaultCache: FrameCache | null = null;
function cache(): FrameCache {
  defaultCache ??= createFrameCache();
  return defaultCache;
}

export const frameAt = (clip: ClipSource, index: number, request?: FrameRequest) => cache().frameAt(clip, index, request);
export const framesAtFps = (clip: ClipSource, request: FpsRequest) => cache().framesAtFps(clip, request);
export const filmstrip = (clip: ClipSource, request?: FilmstripRequest) => cache().filmstrip(clip, request);
