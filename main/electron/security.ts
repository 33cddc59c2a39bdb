// The Electron host's hardening as plain data and pure functions (STYLE.md §9, after Actual
// Budget's security.ts): main.ts applies exactly what is here, and security.test.ts checks it
// without Electron (this module must never import 'electron': its binary is not installed in
// CI and downloads on first require).
//
// The renderer is served from a custom protocol (frustum-app://app/…) instead of file://, as
// Electron's security checklist advises: file:// pages share one origin with every local file.
// Clip media comes from frustum-media://clip/<id>/…, resolved by clip id in the open project.
import { IPC_PREFIX } from '../../common/api/wire';
import { METHODS, type MethodName } from '../../common/api/contract';

export const APP_SCHEME = 'frustum-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const MEDIA_SCHEME = 'frustum-media';

/** webPreferences of every window: nothing of Node in the page, Chromium's sandbox on. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const;

/**
 * Privileges of the two schemes (protocol.registerSchemesAsPrivileged): `standard` gives the
 * app a real origin for 'self' in the CSP, `secure` makes it a secure context, `stream` lets
 * <video> read byte ranges. Neither bypasses the CSP.
 */
export const PRIVILEGED_SCHEMES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, bypassCSP: false, stream: false } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, bypassCSP: false, stream: true } },
] as const;

/** The CSP of the renderer's pages (sent as a response header by the app protocol). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // No 'unsafe-inline': React's style props and uPlot set styles through the CSSOM, which CSP
  // leaves alone (see main/web/security.ts).
  "style-src 'self'",
  `img-src 'self' blob: data: ${MEDIA_SCHEME}:`,
  `media-src 'self' blob: ${MEDIA_SCHEME}:`,
  "font-src 'self' data:",
  // The renderer talks to the backend over IPC; it has no server to connect to.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const RESPONSE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** The page every window loads. */
export const START_URL = `${APP_ORIGIN}/index.html`;

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** `will-navigate`: only a reload of the app itself; everything else is refused. */
export function isNavigationAllowed(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** window.open and target=_blank: never a new Electron window; https links go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  const parsed = parseUrl(url);
  return { action: 'deny', openExternally: parsed !== null && parsed.protocol === 'https:' ? parsed.href : null };
}

/** Every permission request (camera, notifications, geolocation…) and check is refused. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

/** IPC is answered only for the app's own top frame (VS Code's validateIPC; no iframe, no foreign page). */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!isMainFrame || frameUrl === undefined) return false;
  const parsed = parseUrl(frameUrl);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** One IPC channel per contract method. */
export function ipcChannels(): Array<{ method: MethodName; channel: string }> {
  return (Object.keys(METHODS) as MethodName[]).map((method) => ({ method, channel: `${IPC_PREFIX}${method}` }));
}

export type MediaRequest =
  | { kind: 'video'; clipId: number }
  | { kind: 'frame'; clipId: number; index: number }
  | { kind: 'filmstrip'; clipId: number };

/** frustum-media://clip/<id>/video | /frame/<n>.jpg | /filmstrip.jpg — anything else is null (404). */
export function parseMediaUrl(url: string): MediaRequest | null {
  const parsed = parseUrl(url);
  if (parsed === null || parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== 'clip' || parsed.search !== '' || parsed.hash !== '') return null;
  // The raw path, as sent: an encoded slash or dot segment is refused, not decoded.
  const match = /^\/([1-9]\d{0,14})\/(?:(video)|frame\/(0|[1-9]\d{0,8})\.jpg|(filmstrip)\.jpg)$/.exec(parsed.pathname);
  if (!match) return null;
  const clipId = Number(match[1]);
  if (match[2] !== undefined) return { kind: 'video', clipId };
  if (match[3] !== undefined) return { kind: 'frame', clipId, index: Number(match[3]) };
  return { kind: 'filmstrip', clipId };
}

/** The media URLs the Electron host hands the renderer (contract: clipMedia). */
export const ELECTRON_MEDIA_URLS = {
  video: (clipId: number) => `${MEDIA_SCHEME}://clip/${clipId}/video`,
  frameTemplate: (clipId: number) => `${MEDIA_SCHEME}://clip/${clipId}/frame/{index}.jpg`,
  filmstrip: (clipId: number) => `${MEDIA_SCHEME}://clip/${clipId}/filmstrip.jpg`,
};

/** Recent projects, newest first, without duplicates, at most `max`. */
export function withRecent(recent: readonly string[], path: string, max = 10): string[] {
  return [path, ...recent.filter((entry) => entry !== path)].slice(0, max);
}
