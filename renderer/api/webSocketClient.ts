// The web mode's transport (common/api/wire.ts): one WebSocket at /api/ws?token=T. Every frame
// and every response is parsed with the contract's schemas before anyone looks inside it; a
// call that cannot complete rejects with an ApiError (STYLE.md §8: per-call timeout, pending
// calls rejected when the connection drops, reconnect with backoff).
import {
  ApiError, EVENTS, METHODS, timeoutOf, type EventName, type EventPayload, type MethodName, type MethodRequest, type MethodResponse,
} from '../../common/api/contract';
import { serverFrame, TOKEN_PARAMETER, WEB_SOCKET_PATH, type ClientFrame } from '../../common/api/wire';
import { TRANSPORT_MARGIN_MS, type ConnectionState, type StudioClient } from './client';

/** The slice of the DOM WebSocket this client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WebSocketClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** One limit for every call (tests); default: the contract's limit of each method, plus the way there and back. */
  timeoutMs?: number;
  /** Delays between reconnect attempts, the last one repeating. */
  backoffMs?: readonly number[];
  /** Reports frames that fail validation (never thrown: a bad frame must not kill the client). */
  onProtocolError?: (message: string) => void;
}

const OPEN = 1;

/** ws://host/api/ws?token=T for the page at `location` with its `token` query parameter. */
export function webSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAMETER) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WEB_SOCKET_PATH}?${TOKEN_PARAMETER}=${encodeURIComponent(token)}`;
}

interface Pending {
  method: MethodName;
  resolve: (value: unknown) => void;
  reject: (error: ApiError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function createWebSocketClient(options: WebSocketClientOptions): StudioClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const limitOf = (method: MethodName) => options.timeoutMs ?? timeoutOf(method) + TRANSPORT_MARGIN_MS;
  const backoff = options.backoffMs ?? [250, 500, 1000, 2000, 5000];
  const reportProtocolError = options.onProtocolError ?? ((message: string) => console.error(message));

  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  let isDisposed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  const pending = new Map<number, Pending>();
  /** Calls made while connecting wait here; they are sent on open. */
  const queued: ClientFrame[] = [];
  const eventListeners = new Map<EventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    for (const listener of [...connectionListeners]) listener(next);
  }

  function rejectAll(error: () => ApiError): void {
    // Actual Budget's rejectAllPendingRequests: a dropped connection never leaves a caller hanging.
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      pending.delete(id);
      call.reject(error());
    }
    queued.length = 0;
  }

  function connect(): void {
    if (isDisposed) return;
    setState('connecting');
    let current: SocketLike;
    try {
      current = createSocket(options.url);
    } catch (error) {
      reportProtocolError(`WebSocket: ${String(error)}`);
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      attempt = 0;
      setState('open');
      for (const frame of queued.splice(0)) current.send(JSON.stringify(frame));
    };
    current.onmessage = (event) => {
      if (socket === current) receive(event.data);
    };
    current.onerror = () => {
      // onclose follows; nothing to do here but not to throw.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      rejectAll(() => new ApiError('unavailable', 'The connection to the Frustum server was lost; the call may not have completed.'));
      setState('closed');
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (isDisposed || reconnectTimer !== null) return;
    const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt++;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') {
      reportProtocolError('WebSocket: ignored a non-text frame');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      reportProtocolError('WebSocket: ignored a frame that is not JSON');
      return;
    }
    const frame = serverFrame.safeParse(json);
    if (!frame.success) {
      reportProtocolError(`WebSocket: ignored a malformed frame: ${frame.error.message}`);
      return;
    }
    const value = frame.data;
    if (value.type === 'event') {
      if (!Object.hasOwn(EVENTS, value.event)) {
        reportProtocolError(`WebSocket: ignored unknown event ${value.event}`);
        return;
      }
      const name = value.event as EventName;
      const payload = EVENTS[name].safeParse(value.payload);
      if (!payload.success) {
        reportProtocolError(`WebSocket: ignored event ${name} with a bad payload: ${payload.error.message}`);
        return;
      }
      for (const listener of [...(eventListeners.get(name) ?? [])]) {
        try {
          (listener as (payload: unknown) => void)(payload.data);
        } catch (error) {
          console.error(error);
        }
      }
      return;
    }
    const call = pending.get(value.id);
    if (!call) return; // Timed out already; the late answer is dropped.
    pending.delete(value.id);
    clearTimeout(call.timer);
    if (value.type === 'error') {
      call.reject(new ApiError(value.error.code, value.error.message));
      return;
    }
    const response = METHODS[call.method].response.safeParse(value.response);
    if (!response.success) {
      call.reject(new ApiError('internal', `${call.method}: the server's response does not match the contract: ${response.error.message}`));
      return;
    }
    call.resolve(response.data);
  }

  function call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResponse<M>> {
    if (isDisposed) return Promise.reject(new ApiError('unavailable', 'The client was closed.'));
    const parsed = METHODS[method].request.safeParse(request);
    if (!parsed.success) return Promise.reject(new ApiError('bad-request', `${method}: ${parsed.error.message}`));
    return new Promise<MethodResponse<M>>((resolve, reject) => {
      const id = nextId++;
      const limit = limitOf(method);
      const timer = setTimeout(() => {
        pending.delete(id);
        const index = queued.findIndex((frame) => frame.id === id);
        if (index >= 0) queued.splice(index, 1);
        reject(new ApiError('timeout', `${method} got no answer within ${Math.round(limit / 1000)} s.`));
      }, limit);
      pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      const frame: ClientFrame = { type: 'call', id, method, request: parsed.data };
      if (socket && socket.readyState === OPEN && state === 'open') socket.send(JSON.stringify(frame));
      else queued.push(frame);
    });
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let listeners = eventListeners.get(event);
    if (!listeners) eventListeners.set(event, (listeners = new Set()));
    const stored = listener as (payload: never) => void;
    listeners.add(stored);
    return () => listeners.delete(stored);
  }

  connect();
  return {
    call,
    on,
    get connection() {
      return state;
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
    dispose() {
      isDisposed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      rejectAll(() => new ApiError('unavailable', 'The client was closed.'));
      socket?.close();
      socket = null;
      setState('closed');
    },
  };
}
