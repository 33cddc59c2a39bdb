// `frustum doctor`: what this machine can run. Essentials (ffmpeg, ffprobe, SQLite) decide
// the exit code; optional engines (OpenCV, TensorFlow.js, ONNX Runtime) are reported so a
// person knows what to install before a job fails half-way.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { checkCandidate, resolveFfmpeg, toolCandidates, type CandidateCheck, type MediaTool, type ToolName } from '../../../backend/media/index';
import { storageInfo } from '../../../db/info';
import { detectTrainingEnvironment, type PythonSource } from '../../../backend/engines/environment';
import { loadTensorflow } from '../../../training/tensorflow';
import { EXIT } from '../failure';
import { printJson, printLines, table } from '../output';

// Optional packages are loaded by name at run time so the bundler neither includes nor
// requires them: their absence is a finding, not a build error.
const load = createRequire(import.meta.url);

interface ToolReport {
  isWorking: boolean;
  chosen: MediaTool | null;
  error?: string;
  candidates: CandidateCheck[];
}

interface PackageReport {
  package: string;
  isAvailable: boolean;
  version?: string;
  loadMs?: number;
  error?: string;
}

function packageVersion(name: string): string | undefined {
  try {
    return (load(`${name}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function describeLoadError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return 'not installed';
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'failed to load';
}

async function importReport(name: string): Promise<PackageReport> {
  const started = performance.now();
  try {
    await import(/* @vite-ignore */ name);
    return { package: name, isAvailable: true, version: packageVersion(name), loadMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { package: name, isAvailable: false, error: describeLoadError(error) };
  }
}

const OPENCV_TIMEOUT_MS = 30_000;

/** opencv.js is WebAssembly: loading means waiting for its runtime to initialise. */
async function opencvReport(): Promise<PackageReport> {
  const name = '@techstark/opencv-js';
  const started = performance.now();
  try {
    type OpenCv = { Mat?: unknown; onRuntimeInitialized?: () => void; then?: unknown; getBuildInformation?: () => string };
    let cv = load(name) as OpenCv;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not initialise within ${OPENCV_TIMEOUT_MS / 1000} s`)), OPENCV_TIMEOUT_MS);
    });
    try {
      if (typeof cv.then === 'function') {
        // Emscripten's module is a thenable that resolves to itself: awaiting it directly
        // re-adopts it forever (100% CPU, no result). Unwrap it into a plain object first.
        const thenable = cv as { then: (onReady: (module: OpenCv) => void) => void };
        const ready = new Promise<{ module: OpenCv }>((resolve) => thenable.then((module) => resolve({ module })));
        cv = (await Promise.race([ready, deadline])).module;
      }
      else if (cv.Mat === undefined) {
        await Promise.race([new Promise<void>((resolve) => (cv.onRuntimeInitialized = resolve)), deadline]);
      }
    } finally {
      clearTimeout(timer);
    }
    const build = /General configuration for OpenCV\s+(\S+)/.exec(cv.getBuildInformation?.() ?? '')?.[1];
    return { package: name, isAvailable: true, version: build ?? packageVersion(name), loadMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { package: name, isAvailable: false, error: describeLoadError(error) };
  }
}

interface TensorflowReport {
  /** The package the built-in model would use, or null when none loads. */
  package: string | null;
  backend: string | null;
  version?: string;
  loadMs?: number;
  passedOver: Array<{ package: string; reason: string }>;
  error?: string;
}

async function tensorflowReport(): Promise<TensorflowReport> {
  const started = performance.now();
  try {
    const loaded = await loadTensorflow();
    return {
      package: loaded.package,
      backend: loaded.backend,
      version: packageVersion(loaded.package),
      loadMs: Math.round(performance.now() - started),
      passedOver: loaded.passedOver,
    };
  } catch (error) {
    return { package: null, backend: null, passedOver: [], error: describeLoadError(error) };
  }
}

async function toolReport(name: ToolName, chosen: MediaTool | null, error: string | undefined): Promise<ToolReport> {
  // One at a time: start-up times measured side by side on a small machine measure the contention.
  const candidates: CandidateCheck[] = [];
  for (const candidate of toolCandidates(name)) candidates.push(await checkCandidate(name, candidate));
  const measured = candidates.find((candidate) => candidate.path === chosen?.path);
  const startupMs = measured?.isWorking ? measured.startupMs : chosen?.startupMs;
  return { isWorking: chosen !== null, chosen: chosen && startupMs !== undefined ? { ...chosen, startupMs } : chosen, ...(error !== undefined ? { error } : {}), candidates };
}

export async function run(options: { json?: boolean; python?: string }): Promise<void> {
  let tools: Awaited<ReturnType<typeof resolveFfmpeg>> | null = null;
  let toolError: string | undefined;
  try {
    tools = await resolveFfmpeg();
  } catch (error) {
    toolError = (error as Error).message;
  }
  const ffmpeg = await toolReport('ffmpeg', tools?.ffmpeg ?? null, toolError);
  const ffprobe = await toolReport('ffprobe', tools?.ffprobe ?? null, toolError);

  let sqlite: { isWorking: boolean; betterSqlite3Version?: string; sqliteVersion?: string; error?: string };
  try {
    sqlite = { isWorking: true, ...storageInfo() };
  } catch (error) {
    sqlite = { isWorking: false, error: describeLoadError(error) };
  }

  // The backend the built-in model would train on: the same choice, in the same order (training/tensorflow.ts).
  const tensorflow = await tensorflowReport();
  const [opencv, onnxruntime] = [await opencvReport(), await importReport('onnxruntime-node')];

  // The external trainers (LLaMA-Factory, EasyR1) are optional too: a finding, never the exit code.
  const training = await detectTrainingEnvironment(options.python !== undefined ? { python: options.python } : {});

  const isHealthy = ffmpeg.isWorking && ffprobe.isWorking && sqlite.isWorking;
  const report = {
    ok: isHealthy,
    ffmpeg,
    ffprobe,
    node: { version: process.version, platform: `${process.platform}-${process.arch}` },
    sqlite,
    opencv,
    tensorflow,
    onnxruntime,
    training,
  };
  process.exitCode = isHealthy ? EXIT.ok : EXIT.input;
  if (options.json) {
    printJson(report);
    return;
  }
  const toolLine = (tool: ToolReport): string =>
    tool.chosen
      ? `${tool.chosen.version} (${tool.chosen.source}) ${tool.chosen.path}, starts in ${Math.round(tool.chosen.startupMs)} ms`
      : `MISSING: ${tool.error ?? 'not found'}`;
  const otherCandidates = (tool: ToolReport): string[] =>
    tool.candidates
      .filter((candidate) => candidate.path !== tool.chosen?.path)
      .map((candidate) =>
        candidate.isWorking
          ? `    also: ${candidate.version} (${candidate.source}) ${candidate.path}, starts in ${Math.round(candidate.startupMs)} ms`
          : `    also: ${candidate.path} (${candidate.source}) does not run: ${candidate.reason}`,
      );
  const optional = (item: PackageReport): string =>
    item.isAvailable ? `${item.version ?? 'available'}${item.loadMs !== undefined ? `, loads in ${item.loadMs} ms` : ''}` : item.error ?? 'unavailable';
  printLines([
    'essentials',
    ...table([['ffmpeg', toolLine(ffmpeg)]]),
    ...otherCandidates(ffmpeg),
    ...table([['ffprobe', toolLine(ffprobe)]]),
    ...otherCandidates(ffprobe),
    ...table([
      ['sqlite', sqlite.isWorking ? `SQLite ${sqlite.sqliteVersion}, better-sqlite3 ${sqlite.betterSqlite3Version}` : `BROKEN: ${sqlite.error}`],
      ['node', `${process.version} (${report.node.platform})`],
    ]),
    'optional',
    ...table([
      ['opencv.js', optional(opencv)],
      ['tensorflow.js', tensorflow.package === null
        ? `none (${tensorflow.error ?? ''})`
        : `${tensorflow.package} ${tensorflow.version ?? ''} ("${tensorflow.backend}" backend), loads in ${tensorflow.loadMs} ms${tensorflow.passedOver.length > 0 ? `; passed over ${tensorflow.passedOver.map((entry) => `${entry.package} (${entry.reason})`).join(', ')}` : ''}`],
      ['onnxruntime', optional(onnxruntime)],
    ]),
    'training on a GPU (LLaMA-Factory SFT, EasyR1 GRPO)',
    ...table([
      ['python', training.python.error === undefined ? `${training.python.version ?? '?'} ${training.python.path ?? ''} (${pythonSourceLabel(training.python.source)})` : `MISSING: ${training.python.error}`],
      ['llamafactory-cli', training.llamafactory.error === undefined ? `${training.llamafactory.version ?? 'found'} ${training.llamafactory.path ?? ''}` : `missing: ${training.llamafactory.error}`],
      ['verl (EasyR1)', training.verl.isImportable ? `${training.verl.version ?? 'imports'}` : `missing: ${training.verl.error ?? 'does not import'}`],
      ['GPUs', training.gpus.length > 0
        ? training.gpus.map((gpu) => `${gpu.index}: ${gpu.name}, ${(gpu.memoryFreeMiB / 1024).toFixed(1)} of ${(gpu.memoryTotalMiB / 1024).toFixed(1)} GiB free`).join('; ')
        : `none${training.nvidiaSmi.error ? ` (${training.nvidiaSmi.error})` : ''}`],
    ]),
    ...training.missing.map((item) => `  to get ${item.what}: ${item.install}`),
    isHealthy ? 'ok: ffmpeg, ffprobe and SQLite work' : 'problem: an essential part does not work (see above)',
  ]);
}

function pythonSourceLabel(source: PythonSource): string {
  switch (source) {
    case 'option':
      return '--python';
    case 'FRUSTUM_PYTHON':
      return 'FRUSTUM_PYTHON';
    case 'PATH':
      return 'python3 on PATH';
    default: {
      const unhandled: never = source;
      throw new Error(`unhandled python source ${String(unhandled)}`);
    }
  }
}
