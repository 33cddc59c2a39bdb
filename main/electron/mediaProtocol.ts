// The frustum-media:// protocol's answers, apart from Electron: main.ts hands each request here
// with the open project's media service. Written against the Fetch API's Request and Response
// (Node 20 has both, as Electron's protocol.handle does), so the whole path from a URL to the
// bytes of a clip is tested without Electron's binary (mediaProtocol.test.ts). A URL names a
// clip by id only (security.ts parseMediaUrl); the service decides which file that is, and
// refuses any file outside the clip's folder or not a regular file (backend/media/confine.ts).
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ApiError } from '../../common/api/contract';
import type { ClipMediaService } from '../../backend/studio/media';
import { parseRange } from '../web/security';
import { parseMediaUrl, RESPONSE_HEADERS } from './security';

export function responseHeaders(contentType: string, extra: Record<string, string> = {}): Headers {
  return new Headers({ ...RESPONSE_HEADERS, 'content-type': contentType, ...extra });
}

export function errorResponse(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

/** A file the media service vouched for (and measured): whole, or the byte range asked for. */
function fileResponse(file: { path: string; size: number; contentType: string }, rangeHeader: string | null, cacheControl: string): Response {
  const { path, size, contentType } = file;
  const range = parseRange(rangeHeader ?? undefined, size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: responseHeaders('text/plain', { 'content-range': `bytes */${size}` }) });
  const common = { 'accept-ranges': 'bytes', 'cache-control': cacheControl };
  if (range === null) {
    return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream, { status: 200, headers: responseHeaders(contentType, { ...common, 'content-length': String(size) }) });
  }
  return new Response(Readable.toWeb(createReadStream(path, { start: range.start, end: range.end })) as ReadableStream, {
    status: 206,
    headers: responseHeaders(contentType, { ...common, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) }),
  });
}

/** The answer to one frustum-media:// request; `media` is null while no project is open. */
export async function handleMediaRequest(request: Request, media: Pick<ClipMediaService, 'video' | 'frame' | 'filmstripSprite'> | null, log: (error: unknown) => void = console.error): Promise<Response> {
  const target = parseMediaUrl(request.url);
  if (target === null) return errorResponse(404, 'not found');
  if (media === null) return errorResponse(503, 'no project is open');
  try {
    switch (target.kind) {
      case 'video':
        return fileResponse(await media.video(target.clipId), request.headers.get('range'), 'no-store');
      case 'frame': {
        const frame = await media.frame(target.clipId, target.index);
        if ('data' in frame) return new Response(new Uint8Array(frame.data), { status: 200, headers: responseHeaders(frame.contentType) });
        return fileResponse(frame, null, 'private, max-age=3600');
      }
      case 'filmstrip':
        return fileResponse(await media.filmstripSprite(target.clipId), null, 'private, max-age=3600');
      default: {
        const unhandled: never = target;
        throw new Error(`unhandled media request ${JSON.stringify(unhandled)}`);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) {
      const status = error.code === 'not-found' ? 404 : error.code === 'bad-request' ? 400 : error.code === 'unavailable' ? 503 : 500;
      return errorResponse(status, error.message);
    }
    log(error);
    return errorResponse(500, 'internal error');
  }
}
