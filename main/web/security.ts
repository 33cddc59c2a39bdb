// The web mode's guard rails as plain functions (issue #4, item 6), apart from the server so
// they can be read and tested on their own: which hosts may be bound, how the token is made
// and compared, which headers every response carries, and how a request path maps to a file
// of the built renderer (never outside it).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve, sep } from 'node:path';

/** 32 random bytes, URL-safe: printed in the URL, never stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison: a wrong token takes as long to refuse whatever its prefix. */
export function isTokenEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

/** Why binding `host` is refused, or null. A studio on the network shows anyone with the URL every chain. */
export function bindRefusal(host: string, isRemoteAllowed: boolean): string | null {
  if (isLoopbackHost(host) || isRemoteAllowed) return null;
  return `refusing to listen on ${host}: that makes the studio reachable from other machines. Pass --allow-remote if you mean it (anyone who has the printed URL, token included, can edit the project).`;
}

/** The cookie the index page sets; per port, because cookies ignore ports and two studios may run at once. */
export function tokenCookieName(port: number): string {
  return `frustum_token_${port}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/**
 * The Content-Security-Policy of every page: scripts only from the server itself (no inline,
 * no eval), connections only back to this server's WebSocket, frames and video from here or
 * blob:, never framed by anyone. No inline styles either: React's style props and uPlot set
 * styles through the CSSOM (element.style), which CSP does not govern; only <style> elements
 * and style="" attributes in markup need 'unsafe-inline', and the renderer has neither.
 */
export function contentSecurityPolicy(host: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(host: string): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(host),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // The token is in the page's URL: never send it to anyone in a Referer.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

/**
 * The file of the built renderer a URL path names, or null when it names nothing there.
 * Refuses encoded slashes, backslashes, NUL, dot segments and hidden files before resolving,
 * and checks the resolved path is still inside `root` after.
 */
export function rendererFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /%2f|%5c/i.test(urlPath)) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.startsWith('.'))) return null;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 ? CONTENT_TYPES[file.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}

/** A single HTTP byte range (RFC 9110 §14.1.2) within `size`; null = serve the whole file; 'unsatisfiable' → 416. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multiple ranges or another unit: serving the whole file is allowed and simpler.
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return 'unsatisfiable';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** Ids in URLs: positive whole numbers of at most 15 digits (stay exact in a double), nothing else. */
export function parseId(text: string): number | null {
  return /^[1-9]\d{0,14}$/.test(text) ? Number(text) : null;
}
