// Starts `frustum serve` on a project as a child process, the way a person does, and reads the
// studio URL from its first stdout line; opens the Chromium page the browser tests drive.
// Shared by the browser tests and the benchmark.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'frustum.js');
/** Where the browser tests leave their screenshots (git-ignored). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/** `frustum` as a person runs it; its stdout. */
export function runFrustum(...args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

/** A 4-clip demo project in a new temporary folder (the caller removes the folder). */
export function createDemoProject(prefix: string): { folder: string; project: string } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const project = join(folder, 'demo.frustum');
  runFrustum('demo', project, '--force', '--count', '4');
  return { folder, project };
}

export interface ServedStudio {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** `env` replaces the server's environment (the Train tests put fake trainers on PATH and PYTHONPATH). */
export function serveStudio(project: string, extraArgs: readonly string[] = [], options: { env?: NodeJS.ProcessEnv } = {}): Promise<ServedStudio> {
  const child = spawn(process.execPath, [BIN, 'serve', project, '--port', '0', '--no-open', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
  });
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

/**
 * Headless Chromium and one page, set up as every browser test wants it: a step that cannot
 * happen fails naming its locator within 15 s (well inside the test's own timeout), and script
 * errors and console errors land in `pageErrors` for the test that checks the page stayed clean.
 */
export async function openStudioPage(pageErrors: string[], viewport = { width: 1280, height: 720 }): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return { browser, page };
}

export interface StudioSession {
  server: ServedStudio;
  browser: Browser;
  page: Page;
  /** Closes the browser and stops the server. */
  close(): Promise<void>;
}

/** `frustum serve` on the project and a Chromium page on it, as every browser test file starts. */
export async function openStudioSession(project: string, pageErrors: string[], options: { viewport?: { width: number; height: number }; env?: NodeJS.ProcessEnv } = {}): Promise<StudioSession> {
  // Fail, never skip: CI installs chromium (.ci/run APT_PACKAGES).
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (the browser tests need it)`);
  const server = await serveStudio(project, [], options.env !== undefined ? { env: options.env } : {});
  try {
    const { browser, page } = await openStudioPage(pageErrors, options.viewport);
    mkdirSync(SCREENSHOTS, { recursive: true });
    return {
      server,
      browser,
      page,
      async close() {
        await browser.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
