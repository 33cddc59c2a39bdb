// The Electron host's wiring, with the `electron` module replaced by recording fakes (the real
// one is never loaded: its binary is not installed here). Checks that main.ts applies the
// hardening of security.ts, answers IPC only for its own page and only through the contract,
// and serves clip media by id — against a real project and real clips.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildStudioProject } from '../../tests/support/studioProject';
import { START_URL, WEB_PREFERENCES } from './security';

type Listener = (...args: unknown[]) => unknown;
const fake = vi.hoisted(() => {
  const state = {
    userData: '',
    project: '',
    schemes: [] as unknown[],
    protocols: new Map<string, (request: Request) => Promise<Response> | Response>(),
    ipc: new Map<string, (event: unknown, request: unknown) => Promise<unknown>>(),
    appListeners: new Map<string, Listener>(),
    windows: [] as Array<{ options: Record<string, unknown>; contents: { listeners: Map<string, Listener>; openHandler: Listener | null; sent: unknown[]; mainFrame: object } }>,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    quitCalls: 0,
    /** The button the person picks in a message box. */
    messageBoxChoice: 1,
    errors: [] as string[],
    forks: [] as Array<{ script: string; args: string[] }>,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    static fromWebContents() {
      return null;
    }
    webContents;
    constructor(options: Record<string, unknown>) {
      const contents = {
        listeners: new Map<string, Listener>(),
        openHandler: null as Listener | null,
        sent: [] as unknown[],
        mainFrame: {},
        on(event: string, listener: Listener) {
          this.listeners.set(event, listener);
        },
        setWindowOpenHandler(handler: Listener) {
          this.openHandler = handler;
        },
        send(channel: string, message: unknown) {
          this.sent.push({ channel, message });
        },
        reload() {},
      };
      this.webContents = contents;
      fake.windows.push({ options, contents });
    }
    loadURL() {
      return Promise.resolve();
    }
    on() {}
    setTitle() {}
    isDestroyed() {
      return false;
    }
  }
  return {
    app: {
      isPackaged: false,
      whenReady: () => Promise.resolve(),
      getPath: () => fake.userData,
      on: (event: string, listener: Listener) => fake.appListeners.set(event, listener),
      quit: () => {
        fake.quitCalls += 1;
      },
      exit: () => undefined,
    },
    BrowserWindow,
    dialog: {
      showOpenDialog: async () => ({ canceled: false, filePaths: [fake.project] }),
      showErrorBox: (_title: string, message: string) => fake.errors.push(message),
      showMessageBoxSync: () => fake.messageBoxChoice,
    },
    ipcMain: { handle: (channel: string, handler: (event: unknown, request: unknown) => Promise<unknown>) => fake.ipc.set(channel, handler) },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => undefined },
    nativeTheme: { shouldUseDarkColors: true, themeSource: 'system' },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.schemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Response) => fake.protocols.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => {
          fake.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: Listener) => {
          fake.permissionCheck = handler;
        },
      },
    },
    shell: { openExternal: async () => undefined },
    // The backend's utility process, played in this process: the real backend entry's work (open
    // the studio, serve it on the port) over structured-cloned messages, as between processes.
    utilityProcess: {
      fork: (script: string, args: string[]) => {
        fake.forks.push({ script, args });
        const mainListeners = new Map<string, Set<Listener>>();
        const backendListeners = new Set<(message: unknown) => void>();
        const emit = (event: string, ...values: unknown[]) => {
          for (const listener of [...(mainListeners.get(event) ?? [])]) listener(...values);
        };
        const child = {
          postMessage: (message: unknown) => {
            const copy = structuredClone(message);
            setImmediate(() => backendListeners.forEach((listener) => listener(copy)));
          },
          on: (event: string, listener: Listener) => mainListeners.set(event, new Set([...(mainListeners.get(event) ?? []), listener])),
          once: (event: string, listener: Listener) => mainListeners.set(event, new Set([...(mainListeners.get(event) ?? []), listener])),
          off: (event: string, listener: Listener) => mainListeners.get(event)?.delete(listener),
        };
        const port = {
          postMessage: (message: unknown) => {
            const copy = structuredClone(message);
            setImmediate(() => emit('message', copy));
          },
          onMessage: (listener: (message: unknown) => void) => {
            backendListeners.add(listener);
            return () => backendListeners.delete(listener);
          },
        };
        void (async () => {
          const { openStudio } = await import('../../backend/studio/studio');
          const { serveStudio } = await import('./backendChannel');
          const { ELECTRON_MEDIA_URLS } = await import('./security');
          const studio = openStudio({ projectPath: args[0] as string, host: 'electron', mediaUrls: ELECTRON_MEDIA_URLS, log: () => undefined });
          serveStudio(studio, port, () => emit('exit', 0));
          port.postMessage({ type: 'ready', projectPath: args[0] });
        })();
        return child;
      },
    },
  };
});

let fixture: string;
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-electron-'));
  fake.userData = join(fixture, 'user-data');
  fake.project = await buildStudioProject(fixture);
  await import('./main');
  // main() opens the project the (fake) dialog picked; wait for IPC to answer with it.
  for (let attempt = 0; attempt < 200; attempt++) {
    const answer = (await fake.ipc.get('frustum:project.info')?.(trusted(), {})) as { ok?: boolean } | undefined;
    if (answer?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the project did not open: ${fake.errors.join('; ')}`);
});

afterAll(async () => {
  // Quitting drains calls and closes the project before the app goes.
  fake.appListeners.get('before-quit')?.({ preventDefault: () => undefined });
  for (let attempt = 0; attempt < 200 && fake.quitCalls === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(fake.quitCalls, 'the app quits once the project is closed').toBe(1);
  rmSync(fixture, { recursive: true, force: true });
});

function window() {
  const created = fake.windows[0];
  if (!created) throw new Error('no window was created');
  return created;
}

function trusted() {
  const contents = fake.windows[0]?.contents;
  return { sender: contents, senderFrame: contents?.mainFrame && Object.assign(contents.mainFrame, { url: START_URL }) };
}

describe('the Electron host', () => {
  it('creates the window with the hardened preferences and the preload', () => {
    expect(window().options['webPreferences']).toMatchObject({ ...WEB_PREFERENCES, preload: expect.stringMatching(/preload\.cjs$/) });
    expect(fake.schemes.map((entry) => (entry as { scheme: string }).scheme)).toEqual(['frustum-app', 'frustum-media']);
  });

  it('asks before a close that would drop unsaved chain text, and leaves only when told to', () => {
    const leaves = (choice: number) => {
      fake.messageBoxChoice = choice;
      let isLeaving = false;
      window().contents.listeners.get('will-prevent-unload')?.({ preventDefault: () => (isLeaving = true) });
      return isLeaving;
    };
    expect(leaves(1)).toBe(false);
    expect(leaves(0)).toBe(true);
  });

  it('blocks navigation, new windows and permissions', () => {
    const prevented = (url: string) => {
      let isPrevented = false;
      window().contents.listeners.get('will-navigate')?.({ preventDefault: () => (isPrevented = true) }, url);
      return isPrevented;
    };
    expect(prevented('https://example.com/')).toBe(true);
    expect(prevented('file:///etc/passwd')).toBe(true);
    expect(prevented(START_URL)).toBe(false);
    expect(window().contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const decisions: boolean[] = [];
    fake.permissionRequest?.({}, 'media', (granted: boolean) => decisions.push(granted));
    expect(decisions).toEqual([false]);
    expect(fake.permissionCheck?.({}, 'notifications')).toBe(false);
  });

  it('answers dialog.pickFolder itself, with a native folder dialog', async () => {
    const pick = fake.ipc.get('frustum:dialog.pickFolder');
    expect(await pick?.(trusted(), { title: 'Where are the clips?' })).toEqual({ ok: true, response: { folder: fake.project } });
    expect(await pick?.(trusted(), { title: 5 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('runs the backend in a utility process on the project, and relays to it', () => {
    expect(fake.forks).toEqual([{ script: expect.stringMatching(/backend\.cjs$/), args: [fake.project] }]);
  });

  it('answers IPC through the contract, only for its own page', async () => {
    const info = fake.ipc.get('frustum:project.info');
    expect(await info?.(trusted(), {})).toMatchObject({ ok: true, response: { host: 'electron', sampleCount: 30 } });
    const foreign = { sender: window().contents, senderFrame: { url: 'https://evil.example/' } };
    expect(await info?.(foreign, {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await fake.ipc.get('frustum:sample.get')?.(trusted(), { id: 'x' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await fake.ipc.get('frustum:sample.get')?.(trusted(), { id: 999 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const media = (await fake.ipc.get('frustum:clip.media')?.(trusted(), { clipId: 1 })) as { response: { frameTemplate: string; video: string } };
    expect(media.response.frameTemplate).toBe('frustum-media://clip/1/frame/{index}.jpg');
    await fake.ipc.get('frustum:sample.setStatus')?.(trusted(), { id: 1, status: 'accepted' });
    expect(window().contents.sent).toContainEqual({ channel: 'frustum:event', message: { event: 'samples.changed', payload: { ids: [1], reason: 'status' } } });
  });

  it('serves clip media by id only, with ranges and the CSP', async () => {
    const media = fake.protocols.get('frustum-media');
    const frame = await media?.(new Request('frustum-media://clip/1/frame/3.jpg'));
    expect(frame?.status).toBe(200);
    expect(frame?.headers.get('content-type')).toBe('image/jpeg');
    expect(frame?.headers.get('content-security-policy')).toContain("script-src 'self'");
    const part = await media?.(new Request('frustum-media://clip/1/video', { headers: { range: 'bytes=0-9' } }));
    expect(part?.status).toBe(206);
    expect((await part?.arrayBuffer())?.byteLength).toBe(10);
    for (const url of ['frustum-media://clip/../../etc/passwd', 'frustum-media://clip/9/video', 'frustum-media://clip/1/frame/99.jpg', 'frustum-media://file/etc/passwd']) {
      expect((await media?.(new Request(url)))?.status, url).toBe(404);
    }
    const app = fake.protocols.get('frustum-app');
    expect((await app?.(new Request('frustum-app://app/../../etc/passwd')))?.status).toBeGreaterThanOrEqual(400);
  });
});
