// "Ask now": one live answer streamed through 'inference.stream' events, outside React. Every
// delta goes into a span tracker (common/ota/streamSpans.ts) at once, which is cheap; the view
// is told at most once per animation frame, so a server sending 200 tokens a second repaints
// 60 times, not 200. A 'reset' (the server's stream broke and the request starts again) drops
// what was shown. The backend answers inference.ask before its first event, but events can
// overtake the answer on the way, so events of a stream not yet known wait until the ask
// answers with its id (and are dropped if it names another).
import type { ApiClient, EventPayload, InferenceSettings, Prediction, SentFrameInfo } from '../../common/api/contract';
import { createStreamSpanTracker, type StreamSpans } from '../../common/ota/streamSpans';

type StreamEvent = EventPayload<'inference.stream'>;

export type AskPhase = 'asking' | 'streaming' | 'done' | 'error' | 'stopped';

export interface AskState {
  sampleId: number;
  /** The run the answer is stored in (known once inference.ask answers). */
  runId: number | null;
  streamId: string | null;
  phase: AskPhase;
  /** The frames the model receives (null until the request is built; empty for the built-in model). */
  frames: SentFrameInfo[] | null;
  spans: StreamSpans;
  /** Times the server's stream broke and started again. */
  resets: number;
  /** The stored prediction, once done. */
  prediction: Prediction | null;
  error: string | null;
  /** Backend clock (ms) of the first delta and of the frames event, for the latency shown. */
  framesAt: number | null;
  firstDeltaAt: number | null;
}

export type AskRequest = { sampleId: number; runId: number } | { sampleId: number; settings: InferenceSettings };

export interface AskStream {
  getState(): AskState | null;
  subscribe(listener: () => void): () => void;
  /** Starts an ask (stopping one under way); resolves once the backend took it, or rejects with its error. */
  start(request: AskRequest): Promise<void>;
  stop(): Promise<void>;
  /** Forgets the last ask (the view moved to another sample). */
  clear(): void;
  dispose(): void;
}

const isOpenPhase = (phase: AskPhase | undefined) => phase === 'asking' || phase === 'streaming';

export function createAskStream(client: ApiClient, schedule: (callback: () => void) => void = (callback) => void requestAnimationFrame(callback)): AskStream {
  const listeners = new Set<() => void>();
  const tracker = createStreamSpanTracker();
  let state: AskState | null = null;
  let waiting: StreamEvent[] = [];
  let isScheduled = false;
  let attempt = 0;

  const notify = () => {
    if (isScheduled) return;
    isScheduled = true;
    schedule(() => {
      isScheduled = false;
      for (const listener of [...listeners]) listener();
    });
  };
  // A new object per change: React's useSyncExternalStore compares snapshots by identity.
  const update = (patch: Partial<AskState>) => {
    if (state === null) return;
    state = { ...state, ...patch };
    notify();
  };

  const apply = (event: StreamEvent) => {
    if (state === null || event.streamId !== state.streamId || !isOpenPhase(state.phase)) return;
    switch (event.type) {
      case 'frames':
        update({ frames: event.frames, framesAt: event.at, phase: 'streaming' });
        return;
      case 'delta':
        update({ spans: tracker.push(event.text), phase: 'streaming', firstDeltaAt: state.firstDeltaAt ?? event.at });
        return;
      case 'reset':
        tracker.reset();
        update({ spans: tracker.current(), resets: state.resets + 1, firstDeltaAt: null });
        return;
      case 'done':
        update({ phase: 'done', prediction: event.prediction });
        return;
      case 'error':
        update({ phase: event.message === 'stopped' ? 'stopped' : 'error', error: event.message === 'stopped' ? null : event.message });
        return;
      default: {
        const unknown: never = event;
        throw new Error(`unknown stream event ${JSON.stringify(unknown)}`);
      }
    }
  };

  const off = client.on('inference.stream', (event) => {
    if (state === null) return;
    if (state.streamId === null) {
      if (event.sampleId === state.sampleId) waiting.push(event);
      return;
    }
    apply(event);
  });

  const stop = async () => {
    if (state === null || !isOpenPhase(state.phase)) return;
    const streamId = state.streamId;
    attempt += 1;
    update({ phase: 'stopped' });
    waiting = [];
    if (streamId !== null) await client.call('inference.cancelAsk', { streamId });
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start(request) {
      if (isOpenPhase(state?.phase)) await stop().catch(() => undefined);
      const mine = ++attempt;
      tracker.reset();
      waiting = [];
      state = {
        sampleId: request.sampleId, runId: null, streamId: null, phase: 'asking', frames: null, spans: tracker.current(),
        resets: 0, prediction: null, error: null, framesAt: null, firstDeltaAt: null,
      };
      notify();
      try {
        const answer = await client.call('inference.ask', request);
        if (mine !== attempt) {
          // Stopped (or replaced) before the backend answered: stop what it started.
          await client.call('inference.cancelAsk', { streamId: answer.streamId });
          return;
        }
        update({ streamId: answer.streamId, runId: answer.runId });
        const early = waiting.filter((event) => event.streamId === answer.streamId);
        waiting = [];
        for (const event of early) apply(event);
      } catch (error) {
        if (mine === attempt) update({ phase: 'error', error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
    stop,
    clear() {
      // Leaving the sample stops its ask: its answer would land where nobody looks.
      void stop().catch(() => undefined);
      attempt += 1;
      state = null;
      waiting = [];
      tracker.reset();
      notify();
    },
    dispose() {
      void stop().catch(() => undefined);
      off();
      listeners.clear();
    },
  };
}
