// The client and the toasts as React context, and a query hook that refetches when asked to
// (samples.changed, reconnect) and never swallows a rejected call.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { MethodName, MethodRequest, MethodResponse } from '../../common/api/contract';
import type { StudioClient } from '../api/client';

export const ClientContext = createContext<StudioClient | null>(null);

export function useClient(): StudioClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientContext');
  return client;
}

export type ToastKind = 'error' | 'info' | 'success';
/** A button on a toast (Undo, Show them): the toast stays longer, and closes when it is pressed. */
export interface ToastAction {
  label: string;
  run: () => void;
}
export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: ToastAction;
}
/** Shows a toast; returns what closes it early (an Undo done another way leaves no stale button). */
export type Notify = (kind: ToastKind, message: string, options?: { action?: ToastAction }) => () => void;
export const ToastContext = createContext<Notify>(() => () => undefined);
export const useNotify = (): Notify => useContext(ToastContext);

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Bumps whenever shown data may be stale: a samples.changed event or a reconnect. */
export const RefreshContext = createContext(0);
export const useRefreshEpoch = (): number => useContext(RefreshContext);

export interface QueryState<T> {
  data: T | undefined;
  /** The request (as JSON) that `data` answers: between a new request and its effect, data is still the old one's. */
  dataKey: string | null;
  error: unknown;
  isLoading: boolean;
  reload: () => void;
}

/**
 * Calls `method` with `request` (compared by JSON) and again on every refresh epoch; `null`
 * skips the call. Errors become toasts as well as state.
 */
export function useQuery<M extends MethodName>(method: M, request: MethodRequest<M> | null, options: { refresh?: boolean } = {}): QueryState<MethodResponse<M>> {
  const client = useClient();
  const notify = useNotify();
  const epoch = useRefreshEpoch();
  const [state, setState] = useState<{ data: MethodResponse<M> | undefined; dataKey: string | null; error: unknown; isLoading: boolean }>({
    data: undefined, dataKey: null, error: null, isLoading: request !== null,
  });
  const [nonce, setNonce] = useState(0);
  const key = request === null ? null : JSON.stringify(request);
  const requestRef = useRef(request);
  requestRef.current = request;
  const refreshEpoch = options.refresh === false ? 0 : epoch;

  useEffect(() => {
    if (key === null || requestRef.current === null) return;
    const requestKey = key;
    let isCurrent = true;
    setState((previous) => ({ ...previous, isLoading: true }));
    client.call(method, requestRef.current).then(
      (data) => {
        if (isCurrent) setState({ data, dataKey: requestKey, error: null, isLoading: false });
      },
      (error: unknown) => {
        if (!isCurrent) return;
        setState((previous) => ({ ...previous, error, isLoading: false }));
        notify('error', `${method}: ${errorMessage(error)}`);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, method, key, nonce, refreshEpoch, notify]);

  const reload = useCallback(() => setNonce((value) => value + 1), []);
  return { ...state, reload };
}

/** A call from an event handler: resolves to the response, or undefined after a toast. */
export function useCall(): <M extends MethodName>(method: M, request: MethodRequest<M>) => Promise<MethodResponse<M> | undefined> {
  const client = useClient();
  const notify = useNotify();
  return useCallback(
    async <M extends MethodName>(method: M, request: MethodRequest<M>) => {
      try {
        return await client.call(method, request);
      } catch (error) {
        notify('error', `${method}: ${errorMessage(error)}`);
        return undefined;
      }
    },
    [client, notify],
  );
}
