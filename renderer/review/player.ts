// The clip player's engine, outside React so that a key press paints in the next animation
// frame without a render: the playhead, the shuttle rate, the frame cache and the canvas.
// React components subscribe to its state (useSyncExternalStore) for labels and markers.
import type { ClipMedia } from '../../common/api/contract';
import { benchHooks } from '../app/bench';
import { createFrameCache, type FrameCache } from './frameCache';
import { clampFrame, shuttle, SPEEDS } from './shuttle';

export interface PlayerState {
  frame: number;
  /** Frames per clip-second multiplier while playing; 0 paused. Negative plays backwards. */
  rate: number;
  /** The speed Space plays at. */
  speed: number;
  /** The frame on the canvas, and whether it is exactly `frame` (else a stand-in while loading). */
  paintedFrame: number | null;
  isExact: boolean;
}

export interface Player {
  readonly media: ClipMedia;
  readonly cache: FrameCache;
  getState(): PlayerState;
  subscribe(listener: () => void): () => void;
  attach(canvas: HTMLCanvasElement | null): void;
  seek(frame: number, inputAt?: number): void;
  step(delta: number, inputAt?: number): void;
  shuttle(key: 'j' | 'k' | 'l'): void;
  togglePlay(): void;
  changeSpeed(delta: 1 | -1): void;
  setSpeed(speed: number): void;
  dispose(): void;
}

export function createPlayer(media: ClipMedia, onError: (message: string) => void): Player {
  const cache = createFrameCache({ frameTemplate: media.frameTemplate, frameCount: media.frameCount, width: media.width, height: media.height, onError });
  let state: PlayerState = { frame: 0, rate: 0, speed: 1, paintedFrame: null, isExact: false };
  const listeners = new Set<() => void>();
  let canvas: HTMLCanvasElement | null = null;
  let context: CanvasRenderingContext2D | null = null;
  let raf = 0;
  let position = 0;
  let lastTick: number | null = null;
  let pendingInput: { frame: number; at: number } | null = null;

  function setState(patch: Partial<PlayerState>): void {
    const next = { ...state, ...patch };
    if (next.frame === state.frame && next.rate === state.rate && next.speed === state.speed && next.paintedFrame === state.paintedFrame && next.isExact === state.isExact) return;
    state = next;
    for (const listener of [...listeners]) listener();
  }

  function requestPaint(): void {
    if (raf === 0) raf = requestAnimationFrame(paint);
  }

  function paint(now: number): void {
    raf = 0;
    if (state.rate !== 0) {
      if (lastTick !== null) position += ((now - lastTick) / 1000) * media.fps * state.rate;
      lastTick = now;
      const last = media.frameCount - 1;
      if ((state.rate > 0 && position >= last) || (state.rate < 0 && position <= 0)) {
        position = Math.min(Math.max(position, 0), last);
        setState({ rate: 0 });
        lastTick = null;
      }
      const frame = clampFrame(Math.floor(position), media.frameCount);
      if (frame !== state.frame) {
        setState({ frame });
        cache.focus(frame, state.rate > 0 ? 1 : -1);
      }
    }
    draw();
    if (state.rate !== 0) requestPaint();
  }

  function draw(): void {
    if (!context || !canvas) return;
    const exact = cache.get(state.frame);
    const shown = exact ? { index: state.frame, bitmap: exact } : cache.nearest(state.frame);
    if (!shown) return;
    if (shown.index !== state.paintedFrame || !state.isExact || exact) {
      context.drawImage(shown.bitmap, 0, 0, canvas.width, canvas.height);
      canvas.dataset['frame'] = String(shown.index);
    }
    setState({ paintedFrame: shown.index, isExact: Boolean(exact) });
    if (exact && pendingInput && pendingInput.frame === state.frame) {
      benchHooks()?.framePaints.push({ inputAt: pendingInput.at, paintedAt: performance.now(), detail: String(state.frame) });
      pendingInput = null;
    }
  }

  const offLoad = cache.onLoad((index) => {
    if (index === state.frame || !state.isExact) requestPaint();
  });

  function seek(frame: number, inputAt?: number): void {
    const target = clampFrame(frame, media.frameCount);
    position = target;
    if (inputAt !== undefined) pendingInput = { frame: target, at: inputAt };
    const direction = target > state.frame ? 1 : target < state.frame ? -1 : 0;
    setState({ frame: target });
    cache.focus(target, direction);
    requestPaint();
  }

  function setRate(rate: number): void {
    lastTick = null;
    if (rate !== 0 && ((rate > 0 && state.frame >= media.frameCount - 1) || (rate < 0 && state.frame <= 0))) {
      // Playing from the end starts over (as video players do).
      position = rate > 0 ? 0 : media.frameCount - 1;
      setState({ frame: position });
    } else position = state.frame;
    setState({ rate });
    requestPaint();
  }

  cache.focus(0);
  const hooks = benchHooks();
  if (hooks) hooks.player = { media, cachedFrames: () => cache.size };
  return {
    media,
    cache,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    attach(element) {
      canvas = element;
      context = element?.getContext('2d', { alpha: false }) ?? null;
      if (element) {
        element.width = media.width;
        element.height = media.height;
        setState({ paintedFrame: null, isExact: false });
        requestPaint();
      }
    },
    seek,
    step: (delta, inputAt) => {
      if (state.rate !== 0) setState({ rate: 0 });
      seek(state.frame + delta, inputAt);
    },
    shuttle: (key) => setRate(shuttle(state.rate, key)),
    togglePlay: () => setRate(state.rate === 0 ? state.speed : 0),
    changeSpeed(delta) {
      const index = SPEEDS.findIndex((speed) => speed === state.speed);
      const next = SPEEDS[Math.min(Math.max((index < 0 ? 2 : index) + delta, 0), SPEEDS.length - 1)] ?? 1;
      setState({ speed: next, rate: state.rate === 0 ? 0 : Math.sign(state.rate) * next });
    },
    setSpeed(speed) {
      setState({ speed, rate: state.rate === 0 ? 0 : Math.sign(state.rate) * speed });
    },
    dispose() {
      if (raf) cancelAnimationFrame(raf);
      offLoad();
      cache.dispose();
      listeners.clear();
    },
  };
}
