// Media confinement over real HTTP (issue 9, item 1): `frustum serve` on a project imported
// from a hostile dataset (tests/support/hostileMedia.ts). No clip whose path leaves its folder,
// no FIFO, folder or /proc file serves a byte on any media route, none of them hangs, and the
// honest clips keep playing beside them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../db/connection';
import { buildHostileProject, hostileReferences, REFUSED_AT_IMPORT, SECRET_TEXT, type HostileProject } from '../../tests/support/hostileMedia';
import { copyProject } from '../../tests/support/studioProject';
import { tempDir } from '../../tests/support/tempDir';
import { startWebServer, type WebServer } from './server';

let hostile: HostileProject;
beforeAll(async () => {
  hostile = await buildHostileProject(mkdtempSync(join(tmpdir(), 'frustum-web-hostile-')));
}, 60_000);
afterAll(() => rmSync(hostile.folder, { recursive: true, force: true }));

let server: WebServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Starts the web mode on a private copy of the project, after `prepare` had its way with the file. */
async function start(prepare: (project: string) => void = () => undefined): Promise<{ server: WebServer; clipIds: Map<string, number> }> {
  const folder = tempDir();
  const project = copyProject(hostile.project, folder);
  prepare(project);
  const db = openProject(project, { readonly: true });
  const clipIds = new Map((db.prepare('SELECT id, name FROM clips').all() as Array<{ id: number; name: string }>).map((row) => [row.name, row.id]));
  db.close();
  const renderer = join(folder, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Frustum</title>');
  server = await startWebServer({ projectPath: project, port: 0, rendererDir: renderer, cacheRoot: join(folder, 'cache'), log: () => undefined });
  return { server, clipIds };
}

interface Reply {
  status: number;
  contentType: string;
  body: Buffer;
}

/** A GET that must be answered within `timeoutMs`: a route stuck on a FIFO fails the test instead of hanging it. */
function get(server: WebServer, path: string, timeoutMs = 5_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = `${path}${path.includes('?') ? '&' : '?'}token=${server.token}`;
    // No keep-alive (agent: false): an idle kept connection would hold the server's close for seconds.
    const request = httpRequest({ host: '127.0.0.1', port: server.port, path: url, method: 'GET', timeout: timeoutMs, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${path} got no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

const ROUTES = (clipId: number) => [`/media/clip/${clipId}/video`, `/media/clip/${clipId}/frame/0.jpg`, `/media/clip/${clipId}/filmstrip.jpg`];

/** A refusal: an error status with a short text reason, and none of the bytes any secret holds. */
function expectRefused(reply: Reply, what: string): void {
  expect(reply.status, what).toBeGreaterThanOrEqual(400);
  expect(reply.contentType, what).toMatch(/^text\/plain/);
  const text = reply.body.toString('utf8');
  expect(text, what).not.toContain(SECRET_TEXT);
  expect(text, what).not.toMatch(/root:.*:0:0:|PATH=|ftypisom/);
  expect(reply.body.length, what).toBeLessThan(2_000);
}

describe('media routes on a hostile project', () => {
  it('serve no clip the import refused, on any route', async () => {
    const { server, clipIds } = await start();
    expect(Object.keys(hostileReferences(hostile.folder)).sort()).toEqual([...clipIds.keys()].sort());
    for (const name of Object.keys(REFUSED_AT_IMPORT)) {
      for (const route of ROUTES(clipIds.get(name)!)) expectRefused(await get(server, route), `${name}: ${route}`);
    }
  });

  it('refuse a file that became a FIFO at once, and keep serving the honest clips afterwards', async () => {
    const { server, clipIds } = await start();
    const fifo = clipIds.get('later-fifo.mp4')!;
    for (let round = 0; round < 3; round++) {
      for (const route of ROUTES(fifo)) {
        const reply = await get(server, route);
        expectRefused(reply, route);
        expect(reply.status).toBe(503);
        expect(reply.body.toString('utf8')).toMatch(/later-fifo\.mp4 is a FIFO \(named pipe\), not a video file/);
      }
    }
    for (const name of ['ok.mp4', 'inside-link.mp4']) {
      const video = await get(server, `/media/clip/${clipIds.get(name)!}/video`);
      expect(video.status, name).toBe(200);
      expect(video.contentType).toBe('video/mp4');
      expect(video.body.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect((await get(server, `/media/clip/${clipIds.get(name)!}/frame/1.jpg`, 20_000)).contentType).toBe('image/jpeg');
    }
  }, 60_000);

  it('refuse a clip linked before confinement whose file lies outside its datasets\' folders', async () => {
    const outsideClip = join(hostile.folder, 'outside', 'secret.mp4');
    const { server, clipIds } = await start((project) => {
      const db = openProject(project);
      db.prepare('UPDATE clips SET media_root = NULL').run();
      db.prepare("UPDATE clips SET file_path = ?, media_status = 'ok', media_error = NULL WHERE name = 'secret.mp4'").run(outsideClip);
      db.close();
    });
    for (const route of ROUTES(clipIds.get('secret.mp4')!)) expectRefused(await get(server, route), route);
    expect((await get(server, `/media/clip/${clipIds.get('ok.mp4')!}/video`)).status).toBe(200);
  });

  // Last: it changes the shared dataset folder.
  it('refuse a symlink swapped to point out after the import', async () => {
    const { server, clipIds } = await start();
    const swapped = clipIds.get('swap.mp4')!;
    const before = await get(server, `/media/clip/${swapped}/video`);
    expect(before.status).toBe(200);
    hostile.swap();
    for (const route of ROUTES(swapped)) {
      const reply = await get(server, route);
      expectRefused(reply, route);
      expect(reply.body.toString('utf8')).toMatch(/swap\.mp4 \(it resolves to .*outside\/secret\.mp4\) is outside its media folder/);
    }
  });
});
