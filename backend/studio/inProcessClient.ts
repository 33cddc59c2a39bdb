// The in-process transport (STYLE.md §2: one contract, a thin adapter per host): an ApiClient
// for tests, scripts and the CLI that goes through the same door as IPC and WebSocket calls
// (dispatch: request and response validated, timeout, slow log) without serialising anything.
// It lives beside the studio it calls rather than in main/: backend tests use it, and it needs
// nothing a host provides.
import { ApiError, type ApiClient, type EventName, type EventPayload, type MethodName, type MethodRequest, type MethodResponse } from '../../common/api/contract';
import type { Studio } from './studio';

export function createInProcessClient(studio: Pick<Studio, 'call' | 'on'>): ApiClient {
  return {
    async call<M extends MethodName>(method: M, request: MethodRequest<M>): Promise<MethodResponse<M>> {
      const outcome = await studio.call(method, request);
      if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
      return outcome.response as MethodResponse<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return studio.on(event, listener);
    },
  };
}
