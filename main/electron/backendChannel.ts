// The Electron host's two halves, and the one message channel between them (STYLE.md §3, after
// Actual Budget's utility-process backend): the studio runs in a utility process
// (./backendProcess.ts), and the window's main process only relays contract calls, media
// requests and events (./main.ts). Neither side imports Electron here: a port is anything that
// posts and receives structured-clone messages, so the channel is tested with a pair of in-memory
// ports against a real studio (backendChannel.test.ts). Every message is checked with zod on
// arrival: the other side is another process, and a bad message must not crash this one.
import { discriminatedUnion, instanceof as zodInstanceOf, literal, number, object, optional, string, union, unknown } from 'zod';
import { apiErrorShape, ApiError } from '../../common/api/contract';
import type { CallOutcome } from '../../backend/studio/dispatch';
import type { ClipMediaService, MediaFile } from '../../backend/studio/media';
import type { Studio } from '../../backend/studio/studio';

export interface MessagePortLike {
  postMessage(message: unknown): void;
  /** Returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

const id = number().int().nonnegative();
const mediaTarget = union([
  object({ kind: literal('video'), clipId: id }),
  object({ kind: literal('frame'), clipId: id, index: id }),
  object({ kind: literal('filmstrip'), clipId: id }),
]);

const toBackend = discriminatedUnion('type', [
  object({ type: literal('call'), id, method: string().max(100), request: unknown() }),
  object({ type: literal('media'), id, target: mediaTarget }),
  object({ type: literal('close') }),
]);
type ToBackend = (typeof toBackend)['_zod']['output'];

const mediaFile = object({ path: string(), size: number().nonnegative(), contentType: string() });
const fromBackend = discriminatedUnion('type', [
  object({ type: literal('ready'), projectPath: string() }),
  object({ type: literal('failed'), message: string() }),
  object({
    type: literal('result'),
    id,
    outcome: union([object({ ok: literal(true), response: unknown() }), object({ ok: literal(false), error: apiErrorShape })]),
  }),
  object({
    type: literal('media'),
    id,
    file: optional(mediaFile),
    data: optional(zodInstanceOf(Uint8Array)),
    contentType: optional(string()),
    error: optional(apiErrorShape),
  }),
  object({ type: literal('event'), event: string(), payload: unknown() }),
  object({ type: literal('closed') }),
]);
type FromBackend = (typeof fromBackend)['_zod']['output'];

// ---------------------------------------------------------------------------------------------
// The backend's side (in the utility process).

/** Answers the main process's messages with `studio`; posts every event; `onClosed` after a close. */
export function serveStudio(studio: Pick<Studio, 'call' | 'media' | 'onAny' | 'close'>, port: MessagePortLike, onClosed: () => void): () => void {
  const post = (message: FromBackend) => port.postMessage(message);
  const offEvents = studio.onAny((event, payload) => post({ type: 'event', event, payload }));
  async function media(message: Extract<ToBackend, { type: 'media' }>): Promise<void> {
    const { target } = message;
    try {
      const answer = target.kind === 'video'
        ? await studio.media.video(target.clipId)
        : target.kind === 'frame'
          ? await studio.media.frame(target.clipId, target.index)
          : await studio.media.filmstripSprite(target.clipId);
      if ('data' in answer) post({ type: 'media', id: message.id, data: new Uint8Array(answer.data), contentType: answer.contentType });
      else post({ type: 'media', id: message.id, file: { path: answer.path, size: answer.size, contentType: answer.contentType } });
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', error instanceof Error ? error.message : String(error));
      post({ type: 'media', id: message.id, error: { code: apiError.code, message: apiError.message } });
    }
  }
  const offMessages = port.onMessage((raw) => {
    const parsed = toBackend.safeParse(raw);
    if (!parsed.success) return; // not ours to answer: nothing the main process sends looks like this
    const message = parsed.data;
    switch (message.type) {
      case 'call':
        void studio.call(message.method, message.request).then((outcome) => post({ type: 'result', id: message.id, outcome }));
        return;
      case 'media':
        void media(message);
        return;
      case 'close':
        offEvents();
        void studio.close().finally(() => {
          post({ type: 'closed' });
          onClosed();
        });
        return;
      default: {
        const unhandled: never = message;
        throw new Error(`unhandled message ${JSON.stringify(unhandled)}`);
      }
    }
  });
  return () => {
    offEvents();
    offMessages();
  };
}

// ---------------------------------------------------------------------------------------------
// The main process's side.

export type BackendMedia = Pick<ClipMediaService, 'video' | 'frame' | 'filmstripSprite'>;

export interface BackendConnection {
  /** Settles when the backend has opened the project (or failed to). */
  readonly ready: Promise<void>;
  call(method: string, request: unknown): Promise<CallOutcome>;
  readonly media: BackendMedia;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
  /** Closes the project (calls in flight drain first) and resolves when it is closed. */
  close(): Promise<void>;
  /** The backend process died: every pending call and media request fails with `reason` (Actual's rejectAllPendingRequests). */
  fail(reason: string): void;
}

export function connectToBackend(port: MessagePortLike, log: (line: string) => void = console.error): BackendConnection {
  let nextId = 1;
  const calls = new Map<number, (outcome: CallOutcome) => void>();
  const media = new Map<number, { resolve: (answer: MediaFile | { data: Buffer; contentType: string }) => void; reject: (error: ApiError) => void }>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let failure: string | null = null;
  let markReady: () => void = () => undefined;
  let markFailed: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  ready.catch(() => undefined); // a caller that never awaits it must not see an unhandled rejection
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });

  port.onMessage((raw) => {
    const parsed = fromBackend.safeParse(raw);
    if (!parsed.success) {
      log(`backend sent a message outside the channel's contract: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        markReady();
        return;
      case 'failed':
        markFailed(new Error(message.message));
        return;
      case 'result':
        calls.get(message.id)?.(message.outcome as CallOutcome);
        calls.delete(message.id);
        return;
      case 'media': {
        const pending = media.get(message.id);
        media.delete(message.id);
        if (!pending) return;
        if (message.error) pending.reject(new ApiError(message.error.code, message.error.message));
        else if (message.file) pending.resolve(message.file);
        else if (message.data) pending.resolve({ data: Buffer.from(message.data), contentType: message.contentType ?? 'application/octet-stream' });
        else pending.reject(new ApiError('internal', 'the backend answered a media request with nothing'));
        return;
      }
      case 'event':
        for (const listener of [...listeners]) listener(message.event, message.payload);
        return;
      case 'closed':
        markClosed();
        return;
      default: {
        const unhandled: never = message;
        throw new Error(`unhandled message ${JSON.stringify(unhandled)}`);
      }
    }
  });

  function requestMedia(target: (typeof mediaTarget)['_zod']['output']): Promise<MediaFile | { data: Buffer; contentType: string }> {
    if (failure !== null) return Promise.reject(new ApiError('unavailable', failure));
    const messageId = nextId++;
    return new Promise((resolve, reject) => {
      media.set(messageId, { resolve, reject });
      port.postMessage({ type: 'media', id: messageId, target } satisfies ToBackend);
    });
  }
  const asFile = async (answer: Promise<MediaFile | { data: Buffer; contentType: string }>): Promise<MediaFile> => {
    const value = await answer;
    if ('data' in value) throw new ApiError('internal', 'the backend sent bytes where a file was expected');
    return value;
  };

  return {
    ready,
    call(method, request) {
      if (failure !== null) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: failure } });
      const messageId = nextId++;
      return new Promise((resolve) => {
        calls.set(messageId, resolve);
        port.postMessage({ type: 'call', id: messageId, method, request } satisfies ToBackend);
      });
    },
    media: {
      video: (clipId) => asFile(requestMedia({ kind: 'video', clipId })),
      frame: (clipId, index) => requestMedia({ kind: 'frame', clipId, index }),
      filmstripSprite: (clipId) => asFile(requestMedia({ kind: 'filmstrip', clipId })),
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (failure === null) port.postMessage({ type: 'close' } satisfies ToBackend);
      return failure === null ? closed : Promise.resolve();
    },
    fail(reason) {
      if (failure !== null) return;
      failure = reason;
      markFailed(new Error(reason));
      for (const resolve of calls.values()) resolve({ ok: false, error: { code: 'unavailable', message: reason } });
      calls.clear();
      for (const pending of media.values()) pending.reject(new ApiError('unavailable', reason));
      media.clear();
      markClosed();
    },
  };
}
