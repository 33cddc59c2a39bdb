// What this machine has for the external trainers (issue 10, item 1): which Python runs them,
// whether LLaMA-Factory's `llamafactory-cli` is on PATH and EasyR1's `verl` imports in that
// Python, and which NVIDIA GPUs there are with how much memory — each missing piece said with
// how to get it. `frustum doctor` prints it and the studio's Train view shows it, before a job
// can fail half-way through a launch; the training defaults (./defaults.ts) are sized by its GPUs.
import { findOnPath } from '../executables';
import type { Hardware } from './defaults';
import { runProcess } from '../media/process';

/** Each probe is a short command; a hung Python or driver must not hang `frustum doctor`. */
const PROBE_TIMEOUT_MS = 15_000;
/** `import verl` imports torch and ray: seconds on a cold disk. */
const IMPORT_TIMEOUT_MS = 60_000;

export type PythonSource = 'option' | 'FRUSTUM_PYTHON' | 'PATH';

export interface TrainingEnvironment {
  python: { command: string; source: PythonSource; path: string | null; version: string | null; error?: string };
  llamafactory: { path: string | null; version: string | null; error?: string };
  verl: { isImportable: boolean; version: string | null; error?: string };
  nvidiaSmi: { path: string | null; error?: string };
  gpus: Array<{ index: number; name: string; memoryTotalMiB: number; memoryFreeMiB: number; driver: string }>;
  /** What is missing for each engine, with what to run to get it. */
  missing: Array<{ what: string; forEngine: 'llamafactory' | 'easyr1' | 'both'; install: string }>;
}

async function run(command: string, args: readonly string[], timeoutMs = PROBE_TIMEOUT_MS): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await runProcess(command, args, { timeoutMs, maxStdoutBytes: 1024 * 1024 });
  return { code: result.code, stdout: result.stdout.toString('utf8'), stderr: result.stderr };
}

const firstLine = (text: string) => text.trim().split('\n')[0]?.trim() ?? '';

/** Which Python: `--python`, else FRUSTUM_PYTHON, else python3 on PATH (the order issue 10 gives). */
export function choosePython(option: string | undefined, env: NodeJS.ProcessEnv): { command: string; source: PythonSource } {
  if (option !== undefined && option !== '') return { command: option, source: 'option' };
  const fromEnv = env['FRUSTUM_PYTHON'];
  if (fromEnv !== undefined && fromEnv !== '') return { command: fromEnv, source: 'FRUSTUM_PYTHON' };
  return { command: 'python3', source: 'PATH' };
}

/**
 * `nvidia-smi --query-gpu=…` lines: "0, NVIDIA H100 80GB HBM3, 81559, 80000, 550.54.15" (index,
 * name, memory.total and memory.free in MiB with `nounits`, driver version). Lines that do not
 * parse are skipped: a driver message on stdout must not become a GPU.
 */
export function parseNvidiaSmi(csv: string): TrainingEnvironment['gpus'] {
  const gpus: TrainingEnvironment['gpus'] = [];
  for (const line of csv.split('\n')) {
    const fields = line.split(',').map((field) => field.trim());
    if (fields.length < 5) continue;
    const [index, name, total, free, driver] = fields as [string, string, string, string, string];
    if (!/^\d+$/.test(index) || !/^\d+$/.test(total) || !/^\d+$/.test(free)) continue;
    gpus.push({ index: Number(index), name, memoryTotalMiB: Number(total), memoryFreeMiB: Number(free), driver });
  }
  return gpus;
}

export async function detectTrainingEnvironment(options: { python?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TrainingEnvironment> {
  const env = options.env ?? process.env;
  const pathVariable = env['PATH'] ?? '';
  const chosen = choosePython(options.python, env);
  const pythonPath = findOnPath(chosen.command, pathVariable);
  const python: TrainingEnvironment['python'] = { ...chosen, path: pythonPath, version: null };
  if (pythonPath === null) python.error = `${chosen.command} is not an executable found on PATH`;
  else {
    try {
      const result = await run(pythonPath, ['--version']);
      // Python 2 printed its version on stderr.
      python.version = firstLine(result.stdout || result.stderr).replace(/^Python\s+/, '') || null;
      if (result.code !== 0) python.error = firstLine(result.stderr) || `exited with code ${result.code}`;
    } catch (error) {
      python.error = error instanceof Error ? error.message : String(error);
    }
  }

  const verl: TrainingEnvironment['verl'] = { isImportable: false, version: null };
  if (pythonPath !== null && python.error === undefined) {
    try {
      const result = await run(pythonPath, ['-c', "import verl; print(getattr(verl, '__version__', 'unknown'))"], IMPORT_TIMEOUT_MS);
      if (result.code === 0) {
        verl.isImportable = true;
        verl.version = firstLine(result.stdout) || null;
      } else {
        verl.error = firstLine(result.stderr.trim().split('\n').at(-1) ?? '') || `exited with code ${result.code}`;
      }
    } catch (error) {
      verl.error = error instanceof Error ? error.message : String(error);
    }
  } else verl.error = 'no working Python to import it with';

  const llamafactoryPath = findOnPath('llamafactory-cli', pathVariable);
  const llamafactory: TrainingEnvironment['llamafactory'] = { path: llamafactoryPath, version: null };
  if (llamafactoryPath === null) llamafactory.error = 'llamafactory-cli is not on PATH';
  else {
    try {
      const result = await run(llamafactoryPath, ['version']);
      // Its banner is a box of text: the version is the first "x.y.z" in it.
      llamafactory.version = /\d+\.\d+(?:\.\d+)?(?:[\w.+-]*)?/.exec(result.stdout)?.[0] ?? null;
      if (result.code !== 0) llamafactory.error = firstLine(result.stderr) || `exited with code ${result.code}`;
    } catch (error) {
      llamafactory.error = error instanceof Error ? error.message : String(error);
    }
  }

  const { nvidiaSmi, gpus } = await listGpus(pathVariable);

  const missing: TrainingEnvironment['missing'] = [];
  if (python.error !== undefined) {
    missing.push({ what: `Python (${chosen.command})`, forEngine: 'both', install: 'install Python 3.10+ and pass --python PATH or set FRUSTUM_PYTHON' });
  }
  if (llamafactory.error !== undefined) {
    missing.push({ what: 'LLaMA-Factory (llamafactory-cli)', forEngine: 'llamafactory', install: `${pythonPath ?? 'python3'} -m pip install "llamafactory[torch,metrics,deepspeed]"` });
  }
  if (!verl.isImportable) {
    missing.push({ what: 'EasyR1 (the verl package)', forEngine: 'easyr1', install: `clone EasyR1 (hiyouga/EasyR1 on GitHub), then: ${pythonPath ?? 'python3'} -m pip install -e EasyR1` });
  }
  if (gpus.length === 0) {
    missing.push({ what: 'an NVIDIA GPU', forEngine: 'both', install: 'both trainers need CUDA GPUs and their driver (nvidia-smi); the built-in model trains without one' });
  }
  return { python, llamafactory, verl, nvidiaSmi, gpus, missing };
}

/** NVIDIA GPUs with their memory (nvidia-smi), or why none could be listed: the training defaults size themselves by it. */
export async function listGpus(pathVariable = process.env['PATH'] ?? ''): Promise<Pick<TrainingEnvironment, 'nvidiaSmi' | 'gpus'>> {
  const smiPath = findOnPath('nvidia-smi', pathVariable);
  const nvidiaSmi: TrainingEnvironment['nvidiaSmi'] = { path: smiPath };
  if (smiPath === null) {
    nvidiaSmi.error = 'nvidia-smi is not on PATH (no NVIDIA driver)';
    return { nvidiaSmi, gpus: [] };
  }
  try {
    const result = await run(smiPath, ['--query-gpu=index,name,memory.total,memory.free,driver_version', '--format=csv,noheader,nounits']);
    if (result.code === 0) return { nvidiaSmi, gpus: parseNvidiaSmi(result.stdout) };
    nvidiaSmi.error = firstLine(result.stdout || result.stderr) || `exited with code ${result.code}`;
  } catch (error) {
    nvidiaSmi.error = error instanceof Error ? error.message : String(error);
  }
  return { nvidiaSmi, gpus: [] };
}

/** How long a GPU listing sizes new runs: the cards do not change between a preview and its start, and nvidia-smi takes a tenth of a second. */
const GPU_LISTING_KEEP_MS = 60_000;
let keptListing: { at: number; path: string; listing: Promise<Pick<TrainingEnvironment, 'nvidiaSmi' | 'gpus'>> } | null = null;

/** What a run's defaults are sized by (./defaults.ts): the GPUs asked for, else every one listed (at least 1), and the smallest card's memory. */
export async function hardwareFor(request: { gpus?: number | undefined; nodes?: number | undefined }): Promise<Hardware> {
  const path = process.env['PATH'] ?? '';
  if (keptListing === null || keptListing.path !== path || Date.now() - keptListing.at > GPU_LISTING_KEEP_MS) {
    keptListing = { at: Date.now(), path, listing: listGpus(path) };
  }
  const { gpus: listed } = await keptListing.listing;
  return {
    gpus: request.gpus ?? Math.max(1, listed.length),
    nodes: request.nodes ?? 1,
    memoryGiB: listed.length === 0 ? null : Math.min(...listed.map((gpu) => gpu.memoryTotalMiB)) / 1024,
  };
}
