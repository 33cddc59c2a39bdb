// The Electron transport: the preload's window.frustum (common/api/wire.ts FrustumBridge). The
// host validates too, but the renderer checks responses and events itself so that both
// transports hand the views the same, parsed values.
import {
  ApiError, API_ERROR_CODES, EVENTS, METHODS, timeoutOf, type ApiErrorCode, type EventName, type EventPayload, type MethodName,
  type MethodRequest, type MethodResponse,
} from '../../common/api/contract';
import type { FrustumBridge } from '../../common/api/wire';
import { TRANSPORT_MARGIN_MS, type StudioClient } from './client';

function toApiError(method: string, error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // Electron flattens errors thrown in ipcMain handlers to "Error invoking remote method …: X";
  // the host puts `code: message` in X.
  const message = error instanceof Error ? error.message : String(error);
  const match = /(?:^|: )([a-z-]+): ([\s\S]*)$/.exec(message);
  const code = match?.[1];
  if (code && (API_ERROR_CODES as readonly string[]).includes(code)) return new ApiError(code as ApiErrorCode, match?.[2] ?? message);
  return new ApiError('internal', `${method}: ${message}`);
}

/** `timeoutMs`: one limit for every call (tests); default: the contract's limit of each method, plus the way there and back. */
export function createElectronClient(bridge: FrustumBridge, timeoutMs?: number): StudioClient {
  async function call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResponse<M>> {
    const parsed = METHODS[method].request.safeParse(request);
    if (!parsed.success) throw new ApiError('bad-request', `${method}: ${parsed.error.message}`);
    const invoke = bridge.methods[method] as (request: unknown) => Promise<unknown>;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = timeoutMs ?? timeoutOf(method) + TRANSPORT_MARGIN_MS;
    try {
      const raw = await Promise.race([
        invoke(parsed.data),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ApiError('timeout', `${method} got no answer within ${Math.round(limit / 1000)} s.`)), limit);
        }),
      ]);
      const response = METHODS[method].response.safeParse(raw);
      if (!response.success) throw new ApiError('internal', `${method}: the host's response does not match the contract: ${response.error.message}`);
      return response.data as MethodResponse<M>;
    } catch (error) {
      throw toApiError(method, error);
    } finally {
      clearTimeout(timer);
    }
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return bridge.on(event, (payload) => {
      const parsed = EVENTS[event].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<E>);
      else console.error(`ignored event ${event} with a bad payload: ${parsed.error.message}`);
    });
  }

  return {
    call,
    on,
    connection: 'open',
    onConnection: () => () => undefined,
    dispose: () => undefined,
    pathOfFile: (file) => {
      try {
        return bridge.pathForFile(file) || null;
      } catch {
        return null; // an older preload, or a file with no path (made by the page): its name will do
      }
    },
  };
}
