// The canvas the player paints on, its frame/time readout, transport buttons and the filmstrip.
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import type { ClipMedia } from '../../common/api/contract';
import type { Player } from './player';
import { formatTime, SPEEDS } from './shuttle';

export function usePlayerState(player: Player) {
  return useSyncExternalStore(player.subscribe, player.getState);
}

export function FramePlayer({ player }: { player: Player }) {
  const state = usePlayerState(player);
  const { media } = player;
  // A stable ref callback: a new function each render would detach and re-attach (and clear) the canvas.
  const attach = useCallback((canvas: HTMLCanvasElement | null) => player.attach(canvas), [player]);
  return (
    <div className="player">
      <div className="stage">
        <canvas ref={attach} className="frame-canvas" data-testid="frame-canvas" aria-label={`frame ${state.frame + 1} of ${media.frameCount}`} />
        {!state.isExact && state.paintedFrame !== null && <span className="loading-badge">loading frame…</span>}
        {state.paintedFrame === null && <span className="loading-badge">loading…</span>}
      </div>
      <div className="transport">
        <button onClick={() => player.step(-1)} title="Previous frame (←)">◀︎</button>
        <button onClick={() => player.togglePlay()} title="Play / pause (Space)" data-testid="play">{state.rate === 0 ? '▶' : '❚❚'}</button>
        <button onClick={() => player.step(1)} title="Next frame (→)">▶︎</button>
        <span className="frame-number" data-testid="frame-number">
          frame {state.frame + 1} / {media.frameCount}
        </span>
        <span className="muted">{formatTime(state.frame, media.fps)} · {media.fps.toFixed(media.fps % 1 ? 2 : 0)} fps</span>
        {state.rate !== 0 && <span className="rate">{state.rate > 0 ? '▶' : '◀'} {Math.abs(state.rate)}×</span>}
        <span className="spacer" />
        <label className="speed">
          speed
          <select value={state.speed} onChange={(event) => player.setSpeed(Number(event.target.value))} aria-label="Playback speed">
            {SPEEDS.map((speed) => <option key={speed} value={speed}>{speed}×</option>)}
          </select>
        </label>
      </div>
      <Filmstrip player={player} media={media} frame={state.frame} />
    </div>
  );
}

function Filmstrip({ player, media, frame }: { player: Player; media: ClipMedia; frame: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strip = media.filmstrip;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let isCurrent = true;
    const image = new Image();
    const draw = () => {
      if (!isCurrent || !image.complete || image.naturalWidth === 0) return;
      const width = Math.max(1, Math.round(canvas.clientWidth * devicePixelRatio));
      const height = Math.max(1, Math.round(canvas.clientHeight * devicePixelRatio));
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d');
      if (!context) return;
      // As many tiles as fit at their own aspect ratio, each showing the nearest sprite tile.
      const count = strip.frames.length;
      const slots = Math.max(1, Math.min(count, Math.round(width / (height * (strip.tileWidth / strip.tileHeight)))));
      const slot = width / slots;
      for (let index = 0; index < slots; index++) {
        const tile = Math.min(count - 1, Math.floor(((index + 0.5) / slots) * count));
        const column = tile % strip.columns;
        const row = Math.floor(tile / strip.columns);
        context.drawImage(image, column * strip.tileWidth, row * strip.tileHeight, strip.tileWidth, strip.tileHeight, Math.round(index * slot), 0, Math.ceil(slot), height);
      }
    };
    image.onload = draw;
    image.src = strip.url;
    const observer = new ResizeObserver(draw);
    observer.observe(canvas);
    return () => {
      isCurrent = false;
      observer.disconnect();
    };
  }, [strip]);
  const fraction = media.frameCount > 1 ? frame / (media.frameCount - 1) : 0;
  return (
    <div
      className="filmstrip"
      title="Click to seek"
      onMouseDown={(event) => {
        const target = event.currentTarget;
        const seekTo = (clientX: number) => {
          const box = target.getBoundingClientRect();
          const ratio = Math.min(Math.max((clientX - box.left) / box.width, 0), 1);
          player.seek(Math.round(ratio * (media.frameCount - 1)));
        };
        seekTo(event.clientX);
        const onMove = (move: MouseEvent) => seekTo(move.clientX);
        const onUp = () => {
          removeEventListener('mousemove', onMove);
          removeEventListener('mouseup', onUp);
        };
        addEventListener('mousemove', onMove);
        addEventListener('mouseup', onUp);
      }}
    >
      <canvas ref={canvasRef} data-testid="filmstrip" />
      <div className="playhead" style={{ left: `${fraction * 100}%` }} />
    </div>
  );
}
