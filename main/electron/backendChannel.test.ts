// The Electron host's relay, without Electron: the backend side serves a real studio on one end
// of an in-memory port pair (messages structured-cloned, as between processes), the main
// process's side calls through the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, type Studio } from '../../backend/studio/studio';
import { buildStudioProject, copyProject } from '../../tests/support/studioProject';
import { tempDir } from '../../tests/support/tempDir';
import { connectToBackend, serveStudio, type MessagePortLike } from './backendChannel';
import { ELECTRON_MEDIA_URLS } from './security';

/** Two ends of a channel; each message is cloned and delivered on a later turn, as between processes. */
function portPair(): [MessagePortLike, MessagePortLike] {
  const listeners: [Set<(message: unknown) => void>, Set<(message: unknown) => void>] = [new Set(), new Set()];
  const end = (side: 0 | 1): MessagePortLike => ({
    postMessage: (message) => {
      const copy = structuredClone(message);
      setImmediate(() => {
        for (const listener of listeners[side === 0 ? 1 : 0]) listener(copy);
      });
    },
    onMessage: (listener) => {
      listeners[side].add(listener);
      return () => listeners[side].delete(listener);
    },
  });
  return [end(0), end(1)];
}

let fixture: string;
let built: string;
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-backend-'));
  built = await buildStudioProject(fixture);
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function start(): { studio: Studio; main: ReturnType<typeof connectToBackend>; closed: Promise<void>; backendPort: MessagePortLike } {
  const folder = tempDir();
  const project = copyProject(built, folder);
  const studio = openStudio({ projectPath: project, host: 'electron', mediaUrls: ELECTRON_MEDIA_URLS, cacheRoot: join(folder, 'cache'), log: () => undefined });
  const [backendPort, mainPort] = portPair();
  let onClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  serveStudio(studio, backendPort, onClosed);
  backendPort.postMessage({ type: 'ready', projectPath: project });
  return { studio, main: connectToBackend(mainPort, () => undefined), closed, backendPort };
}

describe('the Electron backend channel', () => {
  it('relays calls, events and media, then closes the project', async () => {
    const { main, closed } = start();
    await main.ready;
    const info = await main.call('project.info', {});
    expect(info).toMatchObject({ ok: true, response: { host: 'electron', sampleCount: 30 } });
    expect(await main.call('sample.get', { id: 0 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const events: string[] = [];
    main.onEvent((event) => events.push(event));
    await main.call('sample.setStatus', { id: 1, status: 'accepted' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toContain('samples.changed');
    const video = await main.media.video(1);
    expect(video.path).toMatch(/sft_0\.mp4$/);
    expect(video.contentType).toBe('video/mp4');
    await expect(main.media.video(99)).rejects.toMatchObject({ code: 'not-found' });
    const frame = await main.media.frame(1, 0);
    expect('path' in frame ? frame.contentType : frame.contentType).toBe('image/jpeg');
    await main.close();
    await closed;
    expect(await main.call('project.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'the project is closed' } });
  });

  it('fails pending and later calls at once when the backend process dies', async () => {
    const { main, studio } = start();
    await main.ready;
    const pending = main.call('stats.get', {});
    main.fail('the backend process stopped (exit code 9)');
    expect(await pending).toEqual({ ok: false, error: { code: 'unavailable', message: 'the backend process stopped (exit code 9)' } });
    expect(await main.call('project.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await expect(main.media.video(1)).rejects.toMatchObject({ code: 'unavailable' });
    await studio.close();
  });

  it('ignores messages outside the channel on both sides', async () => {
    const { main, backendPort, studio } = start();
    await main.ready;
    backendPort.postMessage({ type: 'result', id: 'x' });
    backendPort.postMessage('junk');
    expect(await main.call('project.info', {})).toMatchObject({ ok: true });
    await studio.close();
  });
});
