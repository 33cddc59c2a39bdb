// The frustum-media:// protocol's answers (./mediaProtocol.ts) with real Fetch API Requests
// against a real studio on a project imported from a hostile dataset
// (tests/support/hostileMedia.ts): honest clips play with byte ranges; clips whose paths leave
// their folder, FIFOs, folders and /proc files never give a byte, and never hang.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type Studio } from '../../backend/studio/studio';
import { openProject } from '../../db/connection';
import { buildHostileProject, REFUSED_AT_IMPORT, SECRET_TEXT, type HostileProject } from '../../tests/support/hostileMedia';
import { copyProject } from '../../tests/support/studioProject';
import { tempDir } from '../../tests/support/tempDir';
import { handleMediaRequest } from './mediaProtocol';
import { ELECTRON_MEDIA_URLS } from './security';

let hostile: HostileProject;
beforeAll(async () => {
  hostile = await buildHostileProject(mkdtempSync(join(tmpdir(), 'frustum-electron-hostile-')));
}, 60_000);
afterAll(() => rmSync(hostile.folder, { recursive: true, force: true }));

let studio: Studio | null = null;
afterEach(async () => {
  await studio?.close();
  studio = null;
});

/** A studio on a private copy of the project, and its clip ids by name. */
function open(): { studio: Studio; clipId: (name: string) => number } {
  const folder = tempDir();
  const project = copyProject(hostile.project, folder);
  const db = openProject(project, { readonly: true });
  const ids = new Map((db.prepare('SELECT id, name FROM clips').all() as Array<{ id: number; name: string }>).map((row) => [row.name, row.id]));
  db.close();
  studio = openStudio({ projectPath: project, host: 'electron', mediaUrls: ELECTRON_MEDIA_URLS, cacheRoot: join(folder, 'cache'), log: () => undefined });
  return {
    studio,
    clipId: (name) => {
      const id = ids.get(name);
      if (id === undefined) throw new Error(`no clip ${name}`);
      return id;
    },
  };
}

/** The protocol's answer, which must come within `timeoutMs` (a FIFO opened by mistake never answers). */
async function ask(opened: Studio, url: string, init: RequestInit = {}, timeoutMs = 5_000): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${url} got no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([handleMediaRequest(new Request(url, init), opened.media), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

const urls = (clipId: number) => [ELECTRON_MEDIA_URLS.video(clipId), ELECTRON_MEDIA_URLS.frameTemplate(clipId).replace('{index}', '0'), ELECTRON_MEDIA_URLS.filmstrip(clipId)];

async function expectRefused(response: Response, what: string): Promise<string> {
  expect(response.status, what).toBeGreaterThanOrEqual(400);
  expect(response.headers.get('content-type'), what).toMatch(/^text\/plain/);
  const text = await response.text();
  expect(text, what).not.toContain(SECRET_TEXT);
  expect(text, what).not.toMatch(/root:.*:0:0:|PATH=|ftypisom/);
  return text;
}

describe('frustum-media:// on a hostile project', () => {
  it('serves an honest clip whole and by range, with the hardening headers', async () => {
    const { studio: opened, clipId } = open();
    const whole = await ask(opened, ELECTRON_MEDIA_URLS.video(clipId('ok.mp4')));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const part = await ask(opened, ELECTRON_MEDIA_URLS.video(clipId('inside-link.mp4')), { headers: { range: 'bytes=0-9' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 10));
  });

  it('gives no byte of any clip the import refused', async () => {
    const { studio: opened, clipId } = open();
    for (const name of Object.keys(REFUSED_AT_IMPORT)) {
      for (const url of urls(clipId(name))) expect((await ask(opened, url)).status, url).toBe(503);
      await expectRefused(await ask(opened, ELECTRON_MEDIA_URLS.video(clipId(name))), name);
    }
  });

  it('refuses a file that became a FIFO at once, and a symlink swapped to point out', async () => {
    const { studio: opened, clipId } = open();
    for (const url of urls(clipId('later-fifo.mp4'))) {
      expect(await expectRefused(await ask(opened, url), url)).toMatch(/later-fifo\.mp4 is a FIFO \(named pipe\), not a video file/);
    }
    expect((await ask(opened, ELECTRON_MEDIA_URLS.video(clipId('swap.mp4')))).status).toBe(200);
    hostile.swap();
    for (const url of urls(clipId('swap.mp4'))) {
      expect(await expectRefused(await ask(opened, url), url)).toMatch(/is outside its media folder/);
    }
    // Nothing is stuck: the honest clip still plays.
    expect((await ask(opened, ELECTRON_MEDIA_URLS.video(clipId('ok.mp4')))).status).toBe(200);
  });

  it('answers 404 to URLs that name no clip, and 503 with no project open', async () => {
    const { studio: opened } = open();
    for (const url of ['frustum-media://clip/../../etc/passwd', 'frustum-media://clip/1/../../../etc/passwd', 'frustum-media://file/etc/passwd', 'frustum-media://clip/999/video']) {
      expect((await ask(opened, url)).status, url).toBe(404);
    }
    expect((await handleMediaRequest(new Request(ELECTRON_MEDIA_URLS.video(1)), null)).status).toBe(503);
  });
});
