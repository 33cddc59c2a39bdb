// The Electron hardening, checked as data (issue #4, item 6). Nothing here imports Electron:
// security.ts is plain data and functions that main.ts applies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHODS } from '../../common/api/contract';
import {
  APP_ORIGIN, CONTENT_SECURITY_POLICY, ELECTRON_MEDIA_URLS, ipcChannels, isNavigationAllowed, isPermissionGranted, isTrustedSender,
  parseMediaUrl, PRIVILEGED_SCHEMES, RESPONSE_HEADERS, START_URL, WEB_PREFERENCES, windowOpenDecision, withRecent,
} from './security';

describe('window hardening', () => {
  it('isolates the page from Node and sandboxes it', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('main.ts applies exactly these preferences and handlers', () => {
    const source = readFileSync(join(import.meta.dirname, 'main.ts'), 'utf8');
    expect(source).toContain('webPreferences: { ...WEB_PREFERENCES, preload: preloadPath }');
    expect(source).toContain("contents.on('will-navigate'");
    expect(source).toContain('setWindowOpenHandler');
    expect(source).toContain('setPermissionRequestHandler');
    expect(source).toContain('setPermissionCheckHandler');
    // No other place in main.ts may loosen a preference.
    expect(source).not.toMatch(/nodeIntegration\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false|webSecurity\s*:\s*false/);
  });

  it('has a strict CSP: scripts only from the app, no inline or eval, no framing', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((directive) => [directive.split(' ')[0], directive]));
    expect(directives['default-src']).toBe("default-src 'self'");
    expect(directives['script-src']).toBe("script-src 'self'");
    expect(directives['object-src']).toBe("object-src 'none'");
    expect(directives['frame-ancestors']).toBe("frame-ancestors 'none'");
    expect(directives['connect-src']).toBe("connect-src 'self'");
    expect(directives['img-src']).toBe("img-src 'self' blob: data: frustum-media:");
    expect(directives['media-src']).toBe("media-src 'self' blob: frustum-media:");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(RESPONSE_HEADERS).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
  });

  it('privileged schemes never bypass the CSP', () => {
    for (const entry of PRIVILEGED_SCHEMES) expect(entry.privileges.bypassCSP).toBe(false);
  });
});

describe('navigation, windows, permissions', () => {
  it('allows navigation only within the app', () => {
    expect(isNavigationAllowed(START_URL)).toBe(true);
    expect(isNavigationAllowed(`${APP_ORIGIN}/review`)).toBe(true);
    for (const url of ['https://example.com', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'frustum-app://other/index.html', 'frustum-media://clip/1/video', 'javascript:alert(1)', 'data:text/html,<script>', 'not a url']) {
      expect(isNavigationAllowed(url), url).toBe(false);
    }
  });

  it('never opens a window; only https links go to the system browser', () => {
    expect(windowOpenDecision('https://github.com/x')).toEqual({ action: 'deny', openExternally: 'https://github.com/x' });
    for (const url of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', START_URL, 'smb://host/share', '']) {
      expect(windowOpenDecision(url), url).toEqual({ action: 'deny', openExternally: null });
    }
  });

  it('refuses every permission', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal', 'unknown']) {
      expect(isPermissionGranted(permission), permission).toBe(false);
    }
  });

  it('answers IPC only from the app top frame', () => {
    expect(isTrustedSender(START_URL, true)).toBe(true);
    expect(isTrustedSender(START_URL, false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('file:///tmp/x.html', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });

  it('has exactly one frustum: channel per contract method', () => {
    const channels = ipcChannels();
    expect(channels.map((entry) => entry.method).sort()).toEqual(Object.keys(METHODS).sort());
    for (const { method, channel } of channels) expect(channel).toBe(`frustum:${method}`);
  });
});

describe('the media protocol', () => {
  it('parses only clip ids and frame numbers', () => {
    expect(parseMediaUrl(ELECTRON_MEDIA_URLS.video(12))).toEqual({ kind: 'video', clipId: 12 });
    expect(parseMediaUrl(ELECTRON_MEDIA_URLS.frameTemplate(3).replace('{index}', '41'))).toEqual({ kind: 'frame', clipId: 3, index: 41 });
    expect(parseMediaUrl(ELECTRON_MEDIA_URLS.filmstrip(5))).toEqual({ kind: 'filmstrip', clipId: 5 });
  });

  it('refuses traversal, paths and anything that is not a clip id', () => {
    for (const url of [
      'frustum-media://clip/../../etc/passwd',
      'frustum-media://clip/1/../../etc/passwd',
      'frustum-media://clip/%2e%2e/%2e%2e/etc/passwd',
      'frustum-media://clip/1/frame/..%2f..%2fsecret.jpg',
      'frustum-media://clip/1%2f..%2f..%2fetc/video',
      'frustum-media://file/etc/passwd',
      'frustum-media:///etc/passwd',
      'frustum-media://clip/0/video',
      'frustum-media://clip/-1/video',
      'frustum-media://clip/abc/video',
      'frustum-media://clip/1e3/video',
      'frustum-media://clip/1/frame/-1.jpg',
      'frustum-media://clip/1/frame/01.jpg',
      'frustum-media://clip/1/frame/1.png',
      'frustum-media://clip/1/video?path=/etc/passwd',
      'frustum-media://clip/1/video#x',
      'frustum-media://clip/99999999999999999/video',
      'frustum-app://app/index.html',
      'file:///etc/passwd',
      'garbage',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull();
    }
  });
});

describe('recent projects', () => {
  it('keeps the newest first, once each, at most ten', () => {
    expect(withRecent(['/a', '/b'], '/b')).toEqual(['/b', '/a']);
    expect(withRecent([], '/a')).toEqual(['/a']);
    expect(withRecent(Array.from({ length: 12 }, (_, index) => `/p${index}`), '/new')).toHaveLength(10);
  });
});
