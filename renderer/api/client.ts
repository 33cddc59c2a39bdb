// What the views hold: the contract's ApiClient plus the transport's connection state, which the
// shell shows and which views use to refetch after a reconnect.
import type { ApiClient } from '../../common/api/contract';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface StudioClient extends ApiClient {
  readonly connection: ConnectionState;
  /** Returns the unsubscribe function; the listener gets every change. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  dispose(): void;
  /** The full path of a file dropped on the page, where the host can tell it (the desktop app); a web page cannot. */
  pathOfFile?(file: File): string | null;
}

/** Added to a method's own limit (common/api/contract.ts timeoutOf) on the waiting side: the way there and back. */
export const TRANSPORT_MARGIN_MS = 5_000;
