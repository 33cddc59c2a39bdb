// The web mode's guard rails as functions: binding, token, cookie, byte ranges, and the
// mapping of URL paths to the renderer's files.
import { describe, expect, it } from 'vitest';
import { bindRefusal, isLoopbackHost, isTokenEqual, newToken, parseId, parseRange, readCookie, rendererFile } from './security';

describe('binding', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.com', 'localhost.evil.com', '128.0.0.1', '']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('refuses other addresses unless remote access is allowed', () => {
    expect(bindRefusal('127.0.0.1', false)).toBeNull();
    expect(bindRefusal('0.0.0.0', false)).toMatch(/--allow-remote/);
    expect(bindRefusal('0.0.0.0', true)).toBeNull();
  });
});

describe('token', () => {
  it('is 43 URL-safe characters (32 bytes), fresh each time, compared exactly', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(token);
    expect(isTokenEqual(token, token)).toBe(true);
    expect(isTokenEqual(undefined, token)).toBe(false);
    expect(isTokenEqual('', token)).toBe(false);
    expect(isTokenEqual(token.slice(1), token)).toBe(false);
    expect(isTokenEqual(`${token}x`, token)).toBe(false);
  });

  it('reads one cookie by name', () => {
    expect(readCookie('a=1; frustum_token_80=abc; b=2', 'frustum_token_80')).toBe('abc');
    expect(readCookie('frustum_token_8080=abc', 'frustum_token_80')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
    expect(readCookie('garbage', 'x')).toBeUndefined();
  });
});

describe('byte ranges', () => {
  it('parses one range within the file', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-1', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
});

describe('renderer files', () => {
  it('maps paths inside the folder and nothing outside it', () => {
    expect(rendererFile('/srv/renderer', '/app.js')).toBe('/srv/renderer/app.js');
    expect(rendererFile('/srv/renderer', '/assets/a%20b.css')).toBe('/srv/renderer/assets/a b.css');
    for (const path of ['/../x', '/assets/../../x', '/%2e%2e/x', '/..%2fx', '/a%5c..%5cx', '/.env', '/a/.git/config', '/%00', '/%E0%A4%A', '/']) {
      expect(rendererFile('/srv/renderer', path), path).toBeNull();
    }
  });

  it('accepts only plain positive ids', () => {
    expect(parseId('12')).toBe(12);
    for (const text of ['0', '-1', '01', '1.0', '1e3', 'abc', '', '1234567890123456']) expect(parseId(text), text).toBeNull();
  });
});
