// Child processes for media work (ffmpeg, ffprobe) with a deadline and cancellation. Every
// run has a timeout: a corrupt file can make a decoder spin or wait forever, and one stuck
// clip must not hold a whole batch. On timeout or abort the whole process group is killed,
// not just the direct child, so nothing keeps decoding (and writing) after we gave up.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  /** Kill the process (tree) after this many milliseconds. Required: nothing runs unbounded. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Streamed stdout; when given, stdout is not also collected in the result. */
  onStdout?: (chunk: Buffer) => void;
  /** Stop collecting stdout beyond this many bytes (the process is killed): a guard against runaway output. */
  maxStdoutBytes?: number;
  /** Told the process id once it started (tests check that a cancelled process is gone). */
  onSpawn?: (pid: number) => void;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** The deadline passed; the process tree was killed. */
export class ProcessTimeoutError extends Error {
  constructor(command: string, timeoutMs: number) {
    super(`${command} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
    this.name = 'ProcessTimeoutError';
  }
}

/** A cancelled operation: `error.name === 'AbortError'`, as fetch and Node's own APIs use. */
export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('the operation was cancelled');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

// stderr is kept for error messages only; a decoder printing a warning per frame must not
// fill memory.
const STDERR_LIMIT = 64 * 1024;

const running = new Set<ChildProcess>();
let isExitHookInstalled = false;

function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  // Children run in their own process group (detached), so they would outlive us: when the
  // host exits (Ctrl-C in the CLI, window closed), take them along.
  process.once('exit', () => {
    for (const child of running) killTree(child);
  });
}

/** Kills a child and everything it started. */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    // Negative pid: the whole group, which `detached: true` made this child the leader of.
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** The number of media child processes alive right now (for tests and diagnostics). */
export function runningProcessCount(): number {
  return running.size;
}

/**
 * Runs `command` to completion. Resolves with the exit code whatever it is (the caller knows
 * what a failure means for its tool); rejects when the program cannot start, on timeout
 * (ProcessTimeoutError) and on abort (AbortError), after killing the process tree.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError(options.signal));
      return;
    }
    installExitHook();
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    running.add(child);
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: Error | null = null;
    let isSettled = false;

    const stop = (error: Error): void => {
      if (failure === null) failure = error;
      killTree(child);
    };
    const timer = setTimeout(() => stop(new ProcessTimeoutError(command, options.timeoutMs)), options.timeoutMs);
    const onAbort = (): void => stop(abortError(options.signal));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (failure !== null) return;
      if (options.onStdout) {
        try {
          options.onStdout(chunk);
        } catch (error) {
          stop(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      stdoutBytes += chunk.length;
      if (options.maxStdoutBytes !== undefined && stdoutBytes > options.maxStdoutBytes) {
        stop(new Error(`${command} wrote more than ${options.maxStdoutBytes} bytes of output`));
        return;
      }
      stdoutChunks.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.slice(0, STDERR_LIMIT - stderr.length);
    });

    const finish = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(child);
    };
    child.once('error', (error) => {
      if (isSettled) return;
      isSettled = true;
      finish();
      reject(failure ?? error);
    });
    // 'close', not 'exit': all output has been read by then.
    child.once('close', (code, signal) => {
      if (isSettled) return;
      isSettled = true;
      finish();
      if (failure !== null) reject(failure);
      else resolve({ code, signal, stdout: Buffer.concat(stdoutChunks), stderr });
    });
  });
}

/**
 * A tool's stderr as one line for a person: its distinct messages without ffmpeg's
 * "[demuxer @ 0x…]" prefixes or the file's path (the caller names the file), at most three.
 */
export function errorSummary(stderr: string, path?: string): string {
  const lines: string[] = [];
  for (const raw of stderr.split(/\r?\n/)) {
    let line = raw.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim();
    if (path !== undefined && line.startsWith(`${path}: `)) line = line.slice(path.length + 2);
    if (line.length > 0 && !lines.includes(line)) lines.push(line);
  }
  const shown = lines.length > 3 ? [...lines.slice(0, 2), lines.at(-1) as string] : lines;
  return shown.join('; ').slice(0, 500);
}
