// How the contract travels. Web mode: one WebSocket at `/api/ws?token=T`, JSON text frames of
// the shapes below. Electron: one IPC channel per method, named `frustum:<method>`, and events
// on `frustum:event`; the preload exposes `window.frustum` (FrustumBridge) built from METHODS.
// Both ends parse every frame with these schemas before looking inside it.
import { discriminatedUnion, literal, number, object, string, unknown, type infer as Infer } from 'zod';
import { apiErrorShape, METHODS, type EventName, type EventPayload, type MethodName, type MethodRequest, type MethodResponse } from './contract';

export const WEB_SOCKET_PATH = '/api/ws';
export const TOKEN_PARAMETER = 'token';
export const IPC_PREFIX = 'frustum:';
export const IPC_EVENT_CHANNEL = 'frustum:event';

/** renderer → host */
export const clientFrame = object({
  type: literal('call'),
  id: number().int().nonnegative(),
  method: string().max(100),
  request: unknown(),
});
export type ClientFrame = Infer<typeof clientFrame>;

/** host → renderer */
export const serverFrame = discriminatedUnion('type', [
  object({ type: literal('result'), id: number().int().nonnegative(), response: unknown() }),
  object({ type: literal('error'), id: number().int().nonnegative(), error: apiErrorShape }),
  object({ type: literal('event'), event: string(), payload: unknown() }),
]);
export type ServerFrame = Infer<typeof serverFrame>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}

/** What the Electron preload puts on `window.frustum`: one named function per method. */
export interface FrustumBridge {
  readonly methods: { readonly [M in MethodName]: (request: MethodRequest<M>) => Promise<MethodResponse<M>> };
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * The path on disk of a file the person dropped on the window ('' when it has none), so an
   * import records the person's file as its source. Electron's webUtils.getPathForFile: sandboxed
   * pages have no File.path.
   */
  pathForFile(file: File): string;
}
