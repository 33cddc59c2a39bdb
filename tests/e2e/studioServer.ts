// Starts `frustum serve` on a project as a child process, the way a person does, and reads the
// studio URL from its first stdout line. Shared by the browser tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'frustum.js');

export interface ServedStudio {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

export function serveStudio(project: string, extraArgs: readonly string[] = []): Promise<ServedStudio> {
  const child = spawn(process.execPath, [BIN, 'serve', project, '--port', '0', '--no-open', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`frustum serve printed no URL within 30 s\n${stdout}\n${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`frustum serve exited with ${code}\n${stdout}\n${stderr}`));
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const firstLine = stdout.split('\n')[0] ?? '';
      if (!stdout.includes('\n')) return;
      const match = /https?:\/\/\S+/.exec(firstLine);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = new URL(match[0]);
      resolve({ url: url.href, origin: url.origin, token: url.searchParams.get('token') ?? '', child, stderr: () => stderr, stop });
    });
  });
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];
