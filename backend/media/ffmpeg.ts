// Which ffmpeg and ffprobe Frustum runs. The system's come first (distribution builds are
// current and have the codecs people's clips need; the bundled static builds are older), then
// the binaries of @ffmpeg-installer/@ffprobe-installer so a fresh install works anywhere.
// Resolution is lazy and cached: `frustum --help` and commands without media never pay for it.
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { isExecutableFile } from '../executables';
import { performance } from 'node:perf_hooks';
import type fluentFfmpeg from 'fluent-ffmpeg';
import { InputError } from '../../common/errors';
import { runProcess } from './process';

export type ToolName = 'ffmpeg' | 'ffprobe';
export type ToolSource = 'environment' | 'system' | 'bundled';

export interface MediaTool {
  name: ToolName;
  path: string;
  source: ToolSource;
  /** As the tool prints it, e.g. "5.1.9-0+deb12u1". */
  version: string;
  /** Wall time of `TOOL -version`: what each media call pays before any work. */
  startupMs: number;
}

export interface MediaTools {
  ffmpeg: MediaTool;
  ffprobe: MediaTool;
}

export interface ToolCandidate {
  path: string;
  source: ToolSource;
}

export type CandidateCheck = ToolCandidate & ({ isWorking: true; version: string; startupMs: number } | { isWorking: false; reason: string });

const VERSION_TIMEOUT_MS = 10_000;
const ENVIRONMENT: Record<ToolName, string> = { ffmpeg: 'FRUSTUM_FFMPEG', ffprobe: 'FRUSTUM_FFPROBE' };
const BUNDLED_PACKAGE: Record<ToolName, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };
// Where package managers put ffmpeg when PATH is minimal (a GUI app on macOS gets a bare PATH).
const USUAL_FOLDERS = ['/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/opt/local/bin'];

// Loaded at run time, not bundled: the installer packages find their binary relative to
// their own __dirname, which bundling would break.
const load = createRequire(import.meta.url);

function bundledPath(name: ToolName): string | null {
  try {
    const installer = load(BUNDLED_PACKAGE[name]) as { path?: unknown };
    return typeof installer.path === 'string' ? installer.path : null;
  } catch {
    // The package throws a string when no binary exists for this platform.
    return null;
  }
}

/** Every place the tool might be, in the order they are tried; duplicates (symlinks) removed. */
export function toolCandidates(name: ToolName): ToolCandidate[] {
  const executable = process.platform === 'win32' ? `${name}.exe` : name;
  const candidates: ToolCandidate[] = [];
  const override = process.env[ENVIRONMENT[name]];
  if (override) candidates.push({ path: override, source: 'environment' });
  const folders = [...(process.env.PATH ?? '').split(delimiter).filter((folder) => folder.length > 0), ...USUAL_FOLDERS];
  for (const folder of folders) {
    const path = join(folder, executable);
    if (isExecutableFile(path)) candidates.push({ path, source: 'system' });
  }
  const bundled = bundledPath(name);
  if (bundled !== null) candidates.push({ path: bundled, source: 'bundled' });
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    let real = candidate.path;
    try {
      real = realpathSync(candidate.path);
    } catch {
      // Keep it: checking it will say why it does not run.
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/** Runs `TOOL -version` to learn whether it works, its version and its start-up time. */
export async function checkCandidate(name: ToolName, candidate: ToolCandidate): Promise<CandidateCheck> {
  const started = performance.now();
  try {
    const result = await runProcess(candidate.path, ['-hide_banner', '-version'], { timeoutMs: VERSION_TIMEOUT_MS });
    const startupMs = performance.now() - started;
    const firstLine = result.stdout.toString('utf8').split('\n')[0] ?? '';
    const match = new RegExp(`^${name} version (\\S+)`).exec(firstLine);
    if (result.code !== 0 || !match?.[1]) {
      return { ...candidate, isWorking: false, reason: `\`${name} -version\` failed (exit ${result.code ?? result.signal}): ${firstLine || result.stderr.trim()}` };
    }
    return { ...candidate, isWorking: true, version: match[1], startupMs };
  } catch (error) {
    return { ...candidate, isWorking: false, reason: (error as Error).message };
  }
}

async function resolveTool(name: ToolName): Promise<MediaTool> {
  const reasons: string[] = [];
  for (const candidate of toolCandidates(name)) {
    const check = await checkCandidate(name, candidate);
    if (check.isWorking) return { name, path: check.path, source: check.source, version: check.version, startupMs: check.startupMs };
    reasons.push(`${check.path}: ${check.reason}`);
  }
  const tried = reasons.length > 0 ? ` (tried ${reasons.join('; ')})` : '';
  throw new InputError([
    {
      file: name,
      reason: `no working ${name} found on PATH, in ${USUAL_FOLDERS.join(', ')} or bundled (${BUNDLED_PACKAGE[name]})${tried}; install ffmpeg or set ${ENVIRONMENT[name]}`,
    },
  ]);
}

let resolved: Promise<MediaTools> | null = null;

/** The ffmpeg and ffprobe to run, found once per process. */
export function resolveFfmpeg(options: { refresh?: boolean } = {}): Promise<MediaTools> {
  if (resolved === null || options.refresh === true) {
    resolved = Promise.all([resolveTool('ffmpeg'), resolveTool('ffprobe')]).then(([ffmpeg, ffprobe]) => ({ ffmpeg, ffprobe }));
    // A failure is not cached: the person may install ffmpeg and retry in the same session.
    resolved.catch(() => {
      resolved = null;
    });
  }
  return resolved;
}

/**
 * fluent-ffmpeg, pointed at the resolved binaries, for code that prefers its builder API.
 * Frustum's own media code spawns the tools directly (it needs process-group kills and
 * exact argument control), so this is only loaded on request.
 */
export async function configureFluentFfmpeg(): Promise<typeof fluentFfmpeg> {
  const tools = await resolveFfmpeg();
  const fluent = load('fluent-ffmpeg') as typeof fluentFfmpeg;
  fluent.setFfmpegPath(tools.ffmpeg.path);
  fluent.setFfprobePath(tools.ffprobe.path);
  return fluent;
}
