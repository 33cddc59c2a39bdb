// The web mode over real HTTP and WebSocket (issue #4, item 6): a real server on a free port
// against a real project with real clips. Every request without the token is refused, no URL
// reaches a file outside the project's clips and the renderer, junk frames get error frames.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../common/errors';
import { resolveFfmpeg } from '../../backend/media/ffmpeg';
import { frameNumberOf } from '../../backend/media/testClips';
import { tempDir } from '../../tests/support/tempDir';
import { buildStudioProject, copyProject } from '../../tests/support/studioProject';
import { startWebServer, type WebServer } from './server';

/** The `ws` client (the server's own WebSocket library; @types/ws is not installed). */
interface ClientSocket {
  readyState: number;
  send(data: string | Buffer): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'unexpected-response', listener: (request: unknown, response: { statusCode: number }) => void): void;
}
const { WebSocket } = createRequire(import.meta.url)('ws') as {
  WebSocket: new (url: string, options?: { headers?: Record<string, string> }) => ClientSocket;
};

let fixture: string;
let builtProject: string;
let ffmpegPath: string;
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-web-'));
  builtProject = await buildStudioProject(fixture);
  ffmpegPath = (await resolveFfmpeg()).ffmpeg.path;
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

let server: WebServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function fakeRenderer(folder: string): string {
  const renderer = join(folder, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Frustum</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log("studio")');
  writeFileSync(join(folder, 'secret.txt'), 'do not serve me');
  return renderer;
}

async function start(options: { token?: string } = {}): Promise<WebServer> {
  const folder = tempDir();
  server = await startWebServer({
    projectPath: copyProject(builtProject, folder),
    port: 0,
    rendererDir: fakeRenderer(folder),
    cacheRoot: join(folder, 'cache'),
    log: () => undefined,
    ...options,
  });
  return server;
}

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET: the path goes on the wire exactly as written (no dot-segment normalising, unlike fetch). */
function get(server: WebServer, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

const withToken = (server: WebServer, path: string) => `${path}${path.includes('?') ? '&' : '?'}token=${server.token}`;

function connect(url: string, headers: Record<string, string> = {}): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => resolve(socket));
    socket.on('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.on('error', reject);
  });
}

/** Collects frames; `next()` resolves with the next one. */
function frames(socket: ClientSocket): { next(): Promise<Record<string, unknown>> } {
  const queue: Array<Record<string, unknown>> = [];
  const waiting: Array<(frame: Record<string, unknown>) => void> = [];
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  return {
    next: () => {
      const frame = queue.shift();
      return frame ? Promise.resolve(frame) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

const wsUrl = (server: WebServer, token?: string) => `ws://127.0.0.1:${server.port}/api/ws${token === undefined ? '' : `?token=${token}`}`;

describe('the token', () => {
  it('is 32 random bytes, printed in the URL, different per start', async () => {
    const first = await start();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const token = first.token;
    await first.close();
    const second = await start();
    expect(second.token).not.toBe(token);
  });

  it('is required on every route: no token 401, a wrong one 403', async () => {
    const running = await start();
    for (const path of ['/', '/assets/app.js', '/media/clip/1/video', '/media/clip/1/frame/0.jpg', '/media/clip/1/filmstrip.jpg', '/nothing']) {
      expect((await get(running, path)).status, path).toBe(401);
      expect((await get(running, `${path}?token=wrong`)).status, path).toBe(403);
      expect((await get(running, `${path}?token=${running.token.slice(0, -1)}x`)).status, path).toBe(403);
    }
    await expect(connect(wsUrl(running))).rejects.toThrow('HTTP 401');
    await expect(connect(wsUrl(running, 'wrong'))).rejects.toThrow('HTTP 403');
  });

  it('in the query opens the page and sets an HttpOnly, SameSite=Strict cookie that then works alone', async () => {
    const running = await start();
    const page = await get(running, withToken(running, '/'));
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Frustum</title>');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toContain(`frustum_token_${running.port}=${running.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await get(running, '/assets/app.js', { cookie: `frustum_token_${running.port}=${running.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect((await get(running, '/assets/app.js', { cookie: `frustum_token_${running.port}=nope` })).status).toBe(403);
    // Another port's cookie is another studio's.
    expect((await get(running, '/assets/app.js', { cookie: `frustum_token_1=${running.token}` })).status).toBe(401);
  });

  it('is refused from a foreign Host (DNS rebinding) or a foreign Origin on the WebSocket', async () => {
    const running = await start();
    expect((await get(running, withToken(running, '/'), { host: `evil.example:${running.port}` })).status).toBe(403);
    await expect(connect(wsUrl(running, running.token), { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const socket = await connect(wsUrl(running, running.token), { origin: `http://127.0.0.1:${running.port}` });
    socket.close();
  });
});

describe('headers', () => {
  it('carry a strict CSP, nosniff and no framing on pages, media and errors', async () => {
    const running = await start();
    for (const path of [withToken(running, '/'), withToken(running, '/media/clip/1/filmstrip.jpg'), '/']) {
      const response = await get(running, path);
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${running.port}`);
      expect(csp).toContain("img-src 'self' blob: data:");
      expect(csp).toContain("media-src 'self' blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('paths', () => {
  it('never reach a file outside the clips and the renderer', async () => {
    const running = await start();
    const attempts = [
      '/media/clip/../../etc/passwd',
      '/media/clip/1/../../../../etc/passwd',
      '/media/clip/..%2f..%2f..%2fetc%2fpasswd/video',
      '/media/clip/%2e%2e/video',
      '/media/clip/1/frame/..%2f..%2fsecret.txt',
      '/media/clip/1/frame/../../../secret.txt',
      '/media/../secret.txt',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/etc/passwd',
      '/.hidden',
      '/media/clip/999/video',
      '/media/clip/0/video',
      '/media/clip/-1/video',
      '/media/clip/1.5/video',
      '/media/clip/abc/video',
      '/media/clip/1e3/video',
      '/media/clip/99999999999999999999/video',
      '/media/clip/1/frame/-1.jpg',
      '/media/clip/1/frame/1e3.jpg',
      '/media/clip/1/frame/999.jpg',
      '/media/clip/1/frame/3.png',
      '/media/clip/1/other',
      '/media/file/etc/passwd',
    ];
    for (const path of attempts) {
      const response = await get(running, withToken(running, path));
      const body = response.body.toString('latin1');
      expect(body, path).not.toMatch(/root:|do not serve me/);
      // An extension-less path outside /media is one of the renderer's views: it gets the page.
      if (response.status === 200) expect(body, path).toContain('<title>Frustum</title>');
      else expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
  });
});

describe('media', () => {
  it('serves the clip with byte ranges, exact frames by index and the filmstrip', async () => {
    const running = await start();
    const whole = await get(running, withToken(running, '/media/clip/1/video'));
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const size = whole.body.length;
    const part = await get(running, withToken(running, '/media/clip/1/video'), { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${size}`);
    expect(part.body.equals(whole.body.subarray(10, 20))).toBe(true);
    const tail = await get(running, withToken(running, '/media/clip/1/video'), { range: 'bytes=-5' });
    expect(tail.body.equals(whole.body.subarray(size - 5))).toBe(true);
    expect((await get(running, withToken(running, '/media/clip/1/video'), { range: `bytes=${size}-` })).status).toBe(416);

    for (const index of [0, 7, 29]) {
      const frame = await get(running, withToken(running, `/media/clip/1/frame/${index}.jpg`));
      expect(frame.status).toBe(200);
      expect(frame.headers['content-type']).toBe('image/jpeg');
      const gray = execFileSync(ffmpegPath, ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { input: frame.body });
      expect(frameNumberOf(gray[24 * 64 + 32] as number)).toBe(index);
    }
    expect((await get(running, withToken(running, '/media/clip/1/frame/30.jpg'))).status).toBe(404);
    const strip = await get(running, withToken(running, '/media/clip/1/filmstrip.jpg'));
    expect(strip.status).toBe(200);
    expect(strip.body.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
  });
});

describe('the WebSocket', () => {
  it('answers junk with error frames and stays open; valid calls work; events reach every socket', async () => {
    const running = await start();
    const socket = await connect(wsUrl(running, running.token));
    const received = frames(socket);
    const junk: Array<[string | Buffer, number]> = [
      ['not json', 0],
      ['null', 0],
      ['[]', 0],
      ['{"type":"call"}', 0],
      [JSON.stringify({ type: 'call', id: 1, method: 'project.info' }), 1],
      [JSON.stringify({ type: 'hello', id: 2 }), 2],
      [JSON.stringify({ type: 'call', id: -3, method: 'project.info', request: {} }), 0],
      [JSON.stringify({ type: 'call', id: 4, method: 'no.such', request: {} }), 4],
      [JSON.stringify({ type: 'call', id: 5, method: '__proto__', request: {} }), 5],
      [JSON.stringify({ type: 'call', id: 6, method: 'sample.get', request: { id: 'one' } }), 6],
      [JSON.stringify({ type: 'call', id: 7, method: 'library.query', request: { filter: {}, sort: { key: 'nope', direction: 'up' }, offset: 0, limit: 1 } }), 7],
      [JSON.stringify({ type: 'call', id: 8, method: 'sample.get', request: { id: 1e9 } }), 8],
      [Buffer.from([0, 1, 2, 255]), 0],
    ];
    for (const [data, id] of junk) {
      socket.send(data);
      const frame = await received.next();
      expect(frame, String(data)).toMatchObject({ type: 'error', id });
      expect((frame.error as { code: string }).code).toBe(id === 8 ? 'not-found' : 'bad-request');
    }
    socket.send(JSON.stringify({ type: 'call', id: 9, method: 'project.info', request: {} }));
    expect(await received.next()).toMatchObject({ type: 'result', id: 9, response: { host: 'web', sampleCount: 30, clipCount: 2 } });

    const other = await connect(wsUrl(running, running.token));
    const otherFrames = frames(other);
    socket.send(JSON.stringify({ type: 'call', id: 10, method: 'library.bulkUpdate', request: { ids: [1, 2], status: 'accepted' } }));
    expect(await otherFrames.next()).toMatchObject({ type: 'event', event: 'samples.changed', payload: { ids: [1, 2], reason: 'bulk' } });
    const answers = [await received.next(), await received.next()];
    expect(answers).toContainEqual({ type: 'result', id: 10, response: expect.objectContaining({ updated: 2 }) });
    socket.close();
    other.close();
  });
});

describe('binding', () => {
  it('refuses a non-loopback host without --allow-remote', async () => {
    await expect(startWebServer({ projectPath: join(fixture, 'nope.frustum'), host: '0.0.0.0' })).rejects.toBeInstanceOf(UsageError);
    await expect(startWebServer({ projectPath: join(fixture, 'nope.frustum'), host: '192.168.1.10' })).rejects.toThrow(/--allow-remote/);
  });

  it('`frustum serve` prints the URL first, serves it, and shuts down on SIGTERM', async () => {
    const folder = tempDir();
    const project = copyProject(builtProject, folder);
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'frustum.js');
    const refused = spawn(process.execPath, [bin, 'serve', project, '--host', '0.0.0.0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const refusedCode = await new Promise<number | null>((resolve) => refused.on('exit', resolve));
    expect(refusedCode).toBe(2);

    const child = spawn(process.execPath, [bin, 'serve', project, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const firstLine = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const match = /^Frustum studio: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))$/.exec(firstLine);
      expect(match, firstLine).not.toBeNull();
      const port = Number(match?.[2]);
      const socket = await connect(`ws://127.0.0.1:${port}/api/ws?token=${match?.[3]}`);
      const received = frames(socket);
      socket.send(JSON.stringify({ type: 'call', id: 1, method: 'sample.get', request: { id: 3 } }));
      expect(await received.next()).toMatchObject({ type: 'result', id: 1, response: { id: 3 } });
      const closed = new Promise<void>((resolve) => socket.on('close', resolve));
      child.kill('SIGTERM');
      await closed;
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
