// The Electron host: one hardened window onto one open project. The hardening itself is data in
// ./security.ts (tested without Electron); this file applies it. The backend — the studio over
// the open project, the same door the web mode and the CLI use — runs in a utility process
// (./backendProcess.ts), so the window's main process only relays (./backendChannel.ts): a
// slow query, a decode or a job's bookkeeping never freezes the window. The renderer reaches it
// only through the preload's window.frustum (preload/preload.ts).
//
// Started as `electron dist/electron/main.js [PROJECT]` (npm start, or the packaged app).
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell, utilityProcess, type MenuItemConstructorOptions, type WebContents } from 'electron';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { array, object, string } from 'zod';
import { METHODS } from '../../common/api/contract';
import { IPC_EVENT_CHANNEL } from '../../common/api/wire';
import { connectToBackend, type BackendConnection } from './backendChannel';
import { contentTypeOf, rendererFile } from '../web/security';
import { errorResponse, handleMediaRequest, responseHeaders } from './mediaProtocol';
import {
  APP_HOST, APP_SCHEME, ipcChannels, isNavigationAllowed, isPermissionGranted, isTrustedSender, MEDIA_SCHEME,
  PRIVILEGED_SCHEMES, START_URL, WEB_PREFERENCES, windowOpenDecision, withRecent,
} from './security';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/electron/main.js → dist/renderer and dist/preload. */
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'preload.cjs');
/** The backend's utility process script (scripts/build.mjs: dist/electron/backend.cjs). */
const backendPath = join(here, 'backend.cjs');
const isDevelopment = !app.isPackaged;

let backend: BackendConnection | null = null;
let isQuitting = false;
let window: BrowserWindow | null = null;

// Must run before `ready`: the schemes get an origin and may stream.
protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((entry) => ({ scheme: entry.scheme, privileges: { ...entry.privileges } })));

// ---- recent projects (userData/recent-projects.json)

const recentFile = () => join(app.getPath('userData'), 'recent-projects.json');
const recentSchema = object({ projects: array(string()).max(50) });

function readRecent(): string[] {
  try {
    const parsed = recentSchema.safeParse(JSON.parse(readFileSync(recentFile(), 'utf8')));
    return parsed.success ? parsed.data.projects.filter((path) => existsSync(path)) : [];
  } catch {
    return [];
  }
}

function rememberRecent(path: string): void {
  try {
    mkdirSync(dirname(recentFile()), { recursive: true });
    writeFileSync(recentFile(), JSON.stringify({ projects: withRecent(readRecent(), path) }, null, 2));
  } catch (error) {
    console.error(`could not save the recent projects list: ${String(error)}`);
  }
}

// ---- the project

/** Starts a backend process on the project; resolves once it has opened it. */
async function startBackend(projectPath: string): Promise<BackendConnection> {
  const child = utilityProcess.fork(backendPath, [projectPath], { serviceName: 'Frustum backend', stdio: 'inherit' });
  const connection = connectToBackend({
    postMessage: (message) => child.postMessage(message),
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  });
  child.once('exit', (code) => {
    // Pending calls fail at once instead of timing out (Actual's rejectAllPendingRequests).
    connection.fail(`the backend process stopped (exit code ${code})`);
    if (backend === connection && !isQuitting) {
      backend = null;
      dialog.showErrorBox('The project was closed', `Frustum's backend process stopped (exit code ${code}). Open the project again (File → Open recent); jobs it started go on.`);
    }
  });
  await connection.ready;
  return connection;
}

async function openProjectFile(path: string): Promise<void> {
  const projectPath = resolve(path);
  const next = await startBackend(projectPath);
  const previous = backend;
  backend = next;
  if (previous) await previous.close();
  next.onEvent((event, payload) => {
    // Events go only to our own page; a closed window just misses them.
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, { event, payload });
  });
  rememberRecent(projectPath);
  buildMenu();
  window?.setTitle(`Frustum — ${projectPath}`);
  window?.webContents.reload();
}

async function chooseProject(): Promise<void> {
  const result = await dialog.showOpenDialog({
    title: 'Open a Frustum project',
    properties: ['openFile'],
    filters: [{ name: 'Frustum projects', extensions: ['frustum'] }, { name: 'All files', extensions: ['*'] }],
  });
  const [path] = result.filePaths;
  if (!result.canceled && path !== undefined) await openWithErrorDialog(path);
}

async function openWithErrorDialog(path: string): Promise<void> {
  try {
    await openProjectFile(path);
  } catch (error) {
    dialog.showErrorBox('Cannot open the project', error instanceof Error ? error.message : String(error));
  }
}

// ---- IPC: one handler per contract method, answered with an envelope

async function pickFolder(sender: WebContents, request: unknown): Promise<{ ok: true; response: { folder: string | null } } | { ok: false; error: { code: 'bad-request'; message: string } }> {
  const parsed = METHODS['dialog.pickFolder'].request.safeParse(request);
  if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: `dialog.pickFolder: ${parsed.error.issues[0]?.message ?? 'invalid'}` } };
  const owner = BrowserWindow.fromWebContents(sender);
  const options = { title: parsed.data.title ?? 'Choose a folder', properties: ['openDirectory' as const] };
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return { ok: true, response: { folder: result.canceled ? null : (result.filePaths[0] ?? null) } };
}

function installIpc(): void {
  for (const { method, channel } of ipcChannels()) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url, event.senderFrame === event.sender.mainFrame)) {
        return { ok: false, error: { code: 'bad-request', message: 'IPC from an untrusted frame' } };
      }
      // A native dialog belongs to the window's process (the backend's utility process has no UI):
      // answered here, with or without a project.
      if (method === 'dialog.pickFolder') return pickFolder(event.sender, request);
      if (backend === null) return { ok: false, error: { code: 'unavailable', message: 'no project is open (File → Open project…)' } };
      // The backend's studio.call validates request and response against the contract and never
      // throws; the envelope crosses the bridge and the preload turns an error into "code: message".
      return backend.call(method, request);
    });
  }
}

// ---- protocols

function installProtocols(): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return errorResponse(404, 'not found');
    const file = rendererFile(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (file === null || !existsSync(file) || !statSync(file).isFile()) {
      return existsSync(join(rendererDir, 'index.html')) ? errorResponse(404, 'not found') : errorResponse(503, 'the renderer is not built: run `npm run build`');
    }
    return new Response(readFileSync(file), { status: 200, headers: responseHeaders(contentTypeOf(file), { 'cache-control': 'no-store' }) });
  });

  // The answers live in ./mediaProtocol.ts, tested without Electron against a real project.
  protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(request, backend?.media ?? null));
}

// ---- window and menus

function createWindow(): BrowserWindow {
  const created = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'Frustum',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath },
  });
  const contents = created.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The renderer's beforeunload guard (a chain with unsaved text) cancels a close or reload;
  // Electron shows nothing by itself, so ask. preventDefault here lets the page go after all.
  contents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(created, {
      type: 'question',
      buttons: ['Leave without saving', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      message: 'A chain has unsaved changes.',
      detail: 'Edits save themselves after a pause in typing. Leave now and the latest ones are lost.',
    });
    if (choice === 0) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally !== null) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
  void created.loadURL(START_URL);
  return created;
}

function buildMenu(): void {
  const recent = readRecent();
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open project…', accelerator: 'CmdOrCtrl+O', click: () => void chooseProject() },
        {
          label: 'Open recent',
          submenu: recent.length > 0 ? recent.map((path) => ({ label: path, click: () => void openWithErrorDialog(path) })) : [{ label: 'No recent projects', enabled: false }],
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        {
          label: 'Theme',
          submenu: (['system', 'light', 'dark'] as const).map((theme) => ({
            label: theme[0]?.toUpperCase() + theme.slice(1),
            type: 'radio' as const,
            checked: nativeTheme.themeSource === theme,
            click: () => {
              // The renderer follows prefers-color-scheme, which this drives.
              nativeTheme.themeSource = theme;
            },
          })),
        },
        ...(isDevelopment ? ([{ role: 'reload' }, { role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[]) : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The project named on the command line (the first argument that is an existing file), if any. */
function projectFromArguments(argv: readonly string[]): string | null {
  return argv.slice(1).find((argument) => !argument.startsWith('-') && argument.endsWith('.frustum') && existsSync(argument)) ?? null;
}

async function main(): Promise<void> {
  await app.whenReady();
  // Every permission (camera, microphone, notifications, geolocation…) is refused, asked or checked.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  installProtocols();
  installIpc();
  buildMenu();
  window = createWindow();
  window.on('closed', () => {
    window = null;
  });
  const initial = projectFromArguments(process.argv) ?? readRecent()[0] ?? null;
  if (initial !== null) await openWithErrorDialog(initial);
  else await chooseProject();
}

app.on('web-contents-created', (_event, contents) => {
  // Any other web contents (none are created on purpose) gets the same rules.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
});

app.on('window-all-closed', () => app.quit());

app.on('before-quit', (event) => {
  if (isQuitting || backend === null) return;
  // Drain calls in flight (a save commits) before the backend closes the database and exits.
  event.preventDefault();
  isQuitting = true;
  const closing = backend;
  backend = null;
  void closing.close().finally(() => app.quit());
});

main().catch((error: unknown) => {
  dialog.showErrorBox('Frustum could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
  app.exit(1);
});
