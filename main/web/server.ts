// The web mode (`frustum serve`): the built renderer, the contract over one WebSocket, and the
// open project's clip media, on 127.0.0.1 behind a per-start random token.
//
// Token scheme: the URL printed at start carries `?token=T`. Every request must present T,
// either as that query parameter or as the cookie `frustum_token_<port>` (HttpOnly,
// SameSite=Strict), which the index page sets. The cookie exists because the page's own
// subresources (scripts, styles, <img>, <video>) cannot add a query parameter the bundler
// does not know; the query parameter exists because the renderer's WebSocket client and
// scripts (tests, curl) have no cookie jar. No token: 401; a wrong one: 403.
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, type ApiErrorCode, type EventName } from '../../common/api/contract';
import { clientFrame, TOKEN_PARAMETER, WEB_SOCKET_PATH, type ServerFrame } from '../../common/api/wire';
import { UsageError } from '../../common/errors';
import { packageRoot } from '../../backend/packageRoot';
import type { MediaFile, MediaUrls } from '../../backend/studio/media';
import { openStudio, type Studio } from '../../backend/studio/studio';
import {
  bindRefusal, contentTypeOf, isLoopbackHost, isTokenEqual, newToken, parseId, parseRange, readCookie, rendererFile, securityHeaders,
  tokenCookieName,
} from './security';

export interface WebServerOptions {
  projectPath: string;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  isRemoteAllowed?: boolean;
  /** The built renderer (index.html + assets); default dist/renderer of this package. */
  rendererDir?: string;
  /** Fixed token (tests); default a fresh random one. */
  token?: string;
  cacheRoot?: string;
  author?: string;
  log?: (line: string) => void;
}

export interface WebServer {
  /** http://host:port/?token=… — what a person opens. */
  url: string;
  host: string;
  port: number;
  token: string;
  studio: Studio;
  close(): Promise<void>;
}

/**
 * The slice of a `ws` WebSocket this server uses (@types/ws is not installed, so
 * @fastify/websocket's socket type is `any`; this keeps the server typed).
 */
interface WebSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

/** Largest WebSocket message: import.files carries whole dataset files (the contract allows 512 MiB each). */
const MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

function statusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'bad-request':
      return 400;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'unavailable':
      return 503;
    case 'timeout':
      return 504;
    case 'internal':
      return 500;
    default: {
      const unhandled: never = code;
      throw new Error(`unhandled error code ${String(unhandled)}`);
    }
  }
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const refusal = bindRefusal(host, options.isRemoteAllowed === true);
  if (refusal !== null) throw new UsageError(refusal);
  const token = options.token ?? newToken();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rendererDir = options.rendererDir ?? join(packageRoot(), 'dist', 'renderer');
  let port = options.port ?? 0;

  const mediaUrls: MediaUrls = {
    video: (clipId) => `/media/clip/${clipId}/video?${TOKEN_PARAMETER}=${token}`,
    frameTemplate: (clipId) => `/media/clip/${clipId}/frame/{index}.jpg?${TOKEN_PARAMETER}=${token}`,
    filmstrip: (clipId) => `/media/clip/${clipId}/filmstrip.jpg?${TOKEN_PARAMETER}=${token}`,
  };
  const studio = openStudio({
    projectPath: options.projectPath,
    host: 'web',
    mediaUrls,
    log,
    ...(options.cacheRoot !== undefined ? { cacheRoot: options.cacheRoot } : {}),
    ...(options.author !== undefined ? { author: options.author } : {}),
  });

  let app: FastifyInstance;
  const sockets = new Set<WebSocket>();
  try {
    app = Fastify({ logger: false, bodyLimit: 1024 * 1024, routerOptions: { maxParamLength: 200 } });
    await app.register(websocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
    installRoutes(app, { studio, token, rendererDir, sockets, log, portOf: () => port, isLoopbackBound: isLoopbackHost(host) });
    await app.listen({ host, port });
  } catch (error) {
    await studio.close(0);
    throw error;
  }
  const address = app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : port;

  const unsubscribe = studio.onAny((event: EventName, payload: unknown) => {
    const frame = JSON.stringify({ type: 'event', event, payload } satisfies ServerFrame);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
  });

  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}/?${TOKEN_PARAMETER}=${token}`,
    host,
    port,
    token,
    studio,
    close: () => {
      closing ??= (async () => {
        unsubscribe();
        for (const socket of sockets) socket.close(1001, 'server shutting down');
        await app.close();
        await studio.close();
      })();
      return closing;
    },
  };
}

interface RouteContext {
  studio: Studio;
  token: string;
  rendererDir: string;
  sockets: Set<WebSocket>;
  log: (line: string) => void;
  portOf: () => number;
  isLoopbackBound: boolean;
}

function installRoutes(app: FastifyInstance, context: RouteContext): void {
  const { studio, token, rendererDir, sockets, log } = context;

  // Every request, WebSocket upgrades included, shows the token before anything else runs.
  app.addHook('onRequest', async (request, reply) => {
    const hostHeader = request.headers.host ?? '';
    // DNS rebinding: a page of evil.example resolving to 127.0.0.1 still sends its own Host.
    if (context.isLoopbackBound && !isLoopbackHost(hostHeader.replace(/:\d+$/, ''))) {
      return reply.code(403).type('text/plain').send('forbidden host\n');
    }
    const query = request.query as Record<string, unknown> | undefined;
    const fromQuery = typeof query?.[TOKEN_PARAMETER] === 'string' ? (query[TOKEN_PARAMETER] as string) : undefined;
    const fromCookie = readCookie(request.headers.cookie, tokenCookieName(context.portOf()));
    const given = fromQuery ?? fromCookie;
    if (given === undefined) return reply.code(401).type('text/plain').send('a token is required: open the URL `frustum serve` printed\n');
    if (!isTokenEqual(given, token)) return reply.code(403).type('text/plain').send('wrong token: open the URL `frustum serve` printed\n');
    const origin = request.headers.origin;
    // Cross-site WebSocket hijacking: browsers send Origin on upgrades; it must be this server.
    if (origin !== undefined && origin !== `http://${hostHeader}`) return reply.code(403).type('text/plain').send('forbidden origin\n');
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // The Host header names the WebSocket origin in the CSP; anything but a plain host:port
    // (a remote client could send "x; script-src *") falls back to the bound address.
    const host = request.headers.host ?? '';
    const cspHost = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host) ? host : `127.0.0.1:${context.portOf()}`;
    for (const [name, value] of Object.entries(securityHeaders(cspHost))) reply.header(name, value);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.get(WEB_SOCKET_PATH, { websocket: true }, (socket: WebSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => log(`WebSocket error: ${error.message}`));
    socket.on('message', (data, isBinary) => {
      void answer(socket, data, isBinary);
    });
  });

  async function answer(socket: WebSocket, data: unknown, isBinary: boolean): Promise<void> {
    const send = (frame: ServerFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    const refuse = (id: number, message: string) => send({ type: 'error', id, error: { code: 'bad-request', message } });
    if (isBinary) return refuse(0, 'frames must be JSON text');
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : String(data));
    } catch {
      return refuse(0, 'frame is not JSON');
    }
    const frame = clientFrame.safeParse(raw);
    if (!frame.success) {
      // Answer under the caller's id when it sent a usable one, so its pending call settles.
      const id = (raw as { id?: unknown } | null)?.id;
      return refuse(typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : 0, `bad frame: ${frame.error.issues[0]?.message ?? 'invalid'}`);
    }
    const outcome = await studio.call(frame.data.method, frame.data.request);
    send(outcome.ok ? { type: 'result', id: frame.data.id, response: outcome.response } : { type: 'error', id: frame.data.id, error: outcome.error });
  }

  // ---- clip media, by clip id only (backend/studio/media.ts)

  async function sendMedia(reply: FastifyReply, request: FastifyRequest, load: () => Promise<MediaFile | { data: Buffer; contentType: string }>, isImmutable: boolean) {
    let media;
    try {
      media = await load();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', error instanceof Error ? error.message : String(error));
      if (apiError.code === 'internal') log(`media ${request.url.replace(/token=[^&]*/, 'token=…')}: ${apiError.message}`);
      return reply.code(statusOf(apiError.code)).type('text/plain').send(`${apiError.message}\n`);
    }
    // Frames and sprites are content-addressed: the same URL is the same picture for this project.
    reply.header('cache-control', isImmutable ? 'private, max-age=3600' : 'no-store');
    if ('data' in media) return reply.type(media.contentType).send(media.data);
    reply.header('accept-ranges', 'bytes');
    const range = parseRange(request.headers.range, media.size);
    if (range === 'unsatisfiable') {
      return reply.code(416).header('content-range', `bytes */${media.size}`).send();
    }
    if (range === null) {
      return reply.type(media.contentType).header('content-length', media.size).send(createReadStream(media.path));
    }
    return reply
      .code(206)
      .type(media.contentType)
      .header('content-range', `bytes ${range.start}-${range.end}/${media.size}`)
      .header('content-length', range.end - range.start + 1)
      .send(createReadStream(media.path, { start: range.start, end: range.end }));
  }

  const badId = (reply: FastifyReply) => reply.code(404).type('text/plain').send('no such clip\n');

  app.get<{ Params: { clipId: string } }>('/media/clip/:clipId/video', (request, reply) => {
    const clipId = parseId(request.params.clipId);
    if (clipId === null) return badId(reply);
    return sendMedia(reply, request, () => studio.media.video(clipId), false);
  });
  app.get<{ Params: { clipId: string; file: string } }>('/media/clip/:clipId/frame/:file', (request, reply) => {
    const clipId = parseId(request.params.clipId);
    const index = /^(0|[1-9]\d{0,8})\.jpg$/.exec(request.params.file)?.[1];
    if (clipId === null || index === undefined) return badId(reply);
    return sendMedia(reply, request, () => studio.media.frame(clipId, Number(index)), true);
  });
  app.get<{ Params: { clipId: string } }>('/media/clip/:clipId/filmstrip.jpg', (request, reply) => {
    const clipId = parseId(request.params.clipId);
    if (clipId === null) return badId(reply);
    return sendMedia(reply, request, () => studio.media.filmstripSprite(clipId), true);
  });
  // Anything else under /media is refused outright (no fallback to the renderer's files).
  app.get('/media/*', (_request, reply) => reply.code(404).type('text/plain').send('not found\n'));

  // ---- the built renderer

  function sendIndex(request: FastifyRequest, reply: FastifyReply) {
    const index = join(rendererDir, 'index.html');
    if (!existsSync(index)) {
      return reply.code(503).type('text/plain').send(`the studio's renderer is not built (no ${index}); run \`npm run build\`\n`);
    }
    const query = request.query as Record<string, unknown> | undefined;
    if (typeof query?.[TOKEN_PARAMETER] === 'string') {
      reply.header('set-cookie', `${tokenCookieName(context.portOf())}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    return reply.type('text/html; charset=utf-8').send(readFileSync(index));
  }

  app.get('/', sendIndex);
  app.get('/*', (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const file = rendererFile(rendererDir, path);
    if (file !== null && existsSync(file) && statSync(file).isFile()) {
      // Bundled assets carry a content hash in their names; index.html is always re-read.
      reply.header('cache-control', path.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-store');
      return reply.type(contentTypeOf(file)).send(createReadStream(file));
    }
    // The renderer routes in the page: a path without a file extension is one of its views.
    if (file !== null && !/\.[a-z0-9]+$/i.test(path)) return sendIndex(request, reply);
    return reply.code(404).type('text/plain').send('not found\n');
  });
}
