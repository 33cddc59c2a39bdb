// `frustum serve PROJECT`: the studio in a browser (main/web/server.ts). The first stdout line
// is the URL, in a fixed form scripts and tests parse: `Frustum studio: http://HOST:PORT/?token=T`.
import { spawn } from 'node:child_process';
import { UsageError } from '../../../common/errors';
import { startWebServer } from '../../web/server';

interface Options {
  port?: string;
  host?: string;
  allowRemote?: boolean;
  /** commander's --no-open: false when given. */
  open?: boolean;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Best effort: a missing opener (a server without a desktop) is not an error, the URL is printed. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // nothing to do: the URL is on stdout
  }
}

export async function run(project: string, options: Options): Promise<void> {
  const server = await startWebServer({
    projectPath: project,
    port: parsePort(options.port),
    host: options.host ?? '127.0.0.1',
    isRemoteAllowed: options.allowRemote === true,
  });
  process.stdout.write(`Frustum studio: ${server.url}\n`);
  process.stdout.write(`serving ${project}; press Ctrl+C to stop\n`);
  if (options.open !== false && process.env.CI !== 'true') openBrowser(server.url);
  await new Promise<void>((resolve) => {
    let isStopping = false;
    const stop = (signal: string) => {
      // A second Ctrl+C while closing must not kill the process mid-commit: closing drains calls.
      if (isStopping) return;
      isStopping = true;
      process.stderr.write(`${signal}: closing the studio…\n`);
      server.close().then(resolve, (error: unknown) => {
        process.stderr.write(`error while closing: ${String(error)}\n`);
        process.exitCode = 70;
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}
