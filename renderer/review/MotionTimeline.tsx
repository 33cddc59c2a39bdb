// The analyzer's motion timeline (uPlot): pan/tilt/roll in °/s on the left axis, zoom rate and
// parallax on the right, over the whole clip in the player's frame numbers (1…frameCount, whole
// frames: ./timelineFrames.ts), with the playhead. The legend shows the values under the pointer,
// or at the playhead when the pointer is elsewhere. Drag to zoom, double-click to reset, click to
// seek.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { ClipAnalysis } from '../../common/api/contract';
import type { Player } from './player';
import { usePlayerState } from './FramePlayer';
import { formatValue, FRAME_TICK_STEPS, frameAtSeconds, nearestFrame, nearestPointIndex, padToClip } from './timelineFrames';

const SERIES = [
  { label: 'pan °/s', key: 'panDegreesPerSecond', stroke: '#4e9cff', scale: 'deg' },
  { label: 'tilt °/s', key: 'tiltDegreesPerSecond', stroke: '#3fbf7f', scale: 'deg' },
  { label: 'roll °/s', key: 'rollDegreesPerSecond', stroke: '#f0a030', scale: 'deg' },
  { label: 'zoom /s', key: 'zoomPerSecond', stroke: '#c678dd', scale: 'rel' },
  { label: 'parallax', key: 'parallax', stroke: '#e06c75', scale: 'rel' },
] as const;

const HEIGHT = 150;

export function MotionTimeline({ analysis, player }: { analysis: ClipAnalysis; player: Player }) {
  const rootRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const playheadRef = useRef<HTMLDivElement>(null);
  const { frame } = usePlayerState(player);
  const frameRef = useRef(frame);
  frameRef.current = frame;
  const { fps, frameCount } = player.media;
  /** The frame (1-based) under the pointer, or null when the pointer is not over the plot. */
  const [hoveredFrame, setHoveredFrame] = useState<number | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const hiddenRef = useRef(hidden);
  hiddenRef.current = hidden;
  // uPlot draws axes on a canvas with colours read once: redraw when the theme changes.
  const [theme, setTheme] = useState(document.documentElement.dataset['theme']);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset['theme']));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);

  // Each point sits at its moment of the clip (between two of the analyzer's sampled frames).
  const pointFrames = useMemo(() => analysis.timeline.map((point) => frameAtSeconds(point.time, fps)), [analysis, fps]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const { xs, before, after } = padToClip(pointFrames, frameCount);
    const pad = (values: number[]): Array<number | null> => [...Array<null>(before).fill(null), ...values, ...Array<null>(after).fill(null)];
    const data: uPlot.AlignedData = [xs, ...SERIES.map((series) => pad(analysis.timeline.map((point) => point[series.key])))];
    const axisStroke = getComputedStyle(document.documentElement).getPropertyValue('--text-muted').trim() || '#888';
    const grid = { stroke: 'rgba(128,128,128,0.15)', width: 1 };
    const placePlayhead = (plot: uPlot) => {
      const marker = playheadRef.current;
      if (!marker) return;
      const x = plot.valToPos(frameRef.current + 1, 'x');
      const isInside = x >= 0 && x <= plot.over.clientWidth;
      marker.style.display = isInside ? 'block' : 'none';
      marker.style.left = `${plot.over.offsetLeft + x}px`;
      marker.style.top = `${plot.over.offsetTop}px`;
      marker.style.height = `${plot.over.clientHeight}px`;
    };
    // The analyzer's segments as labelled bands along the top of the plot, with the frames they span.
    const drawSegments = (plot: uPlot) => {
      const context = plot.ctx;
      const { top, height } = plot.bbox;
      const ratio = devicePixelRatio;
      context.save();
      context.font = `${Math.round(10 * ratio)}px system-ui, sans-serif`;
      context.textBaseline = 'top';
      analysis.segments.forEach((segment, index) => {
        // Segment frame numbers count the analyzer's sampled frames; seconds place them on clip frames.
        const start = frameAtSeconds(segment.startSeconds, fps);
        const end = frameAtSeconds(segment.endSeconds, fps);
        const left = plot.valToPos(start, 'x', true);
        const right = plot.valToPos(end, 'x', true);
        if (right <= left) return;
        context.fillStyle = index % 2 ? 'rgba(128,128,128,0.10)' : 'rgba(128,128,128,0.18)';
        context.fillRect(left, top, right - left, height);
        context.fillStyle = axisStroke;
        const label = `${segment.primitive} · ${nearestFrame(start, frameCount)}–${nearestFrame(end, frameCount)}`;
        context.fillText(label, left + 3 * ratio, top + 2 * ratio, Math.max(0, right - left - 4 * ratio));
      });
      context.restore();
    };
    const frameLabels = (_plot: uPlot, splits: number[]) => {
      const labels = splits.map((value) => String(Math.round(value)));
      // The canvas has no text to read: the labels drawn, for the browser tests and for a person's inspector.
      if (rootRef.current) rootRef.current.dataset['xTicks'] = labels.join(' ');
      return labels;
    };
    const options: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: HEIGHT,
      scales: { x: { time: false }, deg: {}, rel: {} },
      axes: [
        { stroke: axisStroke, grid, ticks: grid, label: 'frame', labelSize: 14, size: 30, incrs: [...FRAME_TICK_STEPS], values: frameLabels },
        { scale: 'deg', stroke: axisStroke, grid, ticks: grid, size: 40 },
        { scale: 'rel', side: 1, stroke: axisStroke, grid: { show: false }, ticks: grid, size: 40 },
      ],
      series: [{ label: 'frame' }, ...SERIES.map((series, index) => ({
        label: series.label, stroke: series.stroke, width: 1.5, scale: series.scale, show: !hiddenRef.current.has(index),
      }))],
      cursor: { drag: { x: true, y: false } },
      // The legend is ours (below): uPlot's shows the nearest point's fractional x, and "--" unless hovered.
      legend: { show: false },
      hooks: {
        draw: [drawSegments, placePlayhead],
        setCursor: [(plot) => {
          const left = plot.cursor.left;
          setHoveredFrame(left === undefined || left < 0 ? null : nearestFrame(plot.posToVal(left, 'x'), frameCount));
        }],
      },
    };
    const plot = new uPlot(options, data, host);
    plotRef.current = plot;
    let downX = 0;
    const onDown = (event: MouseEvent) => {
      downX = event.clientX;
    };
    const onUp = (event: MouseEvent) => {
      if (Math.abs(event.clientX - downX) > 3) return; // a drag zooms instead
      const left = event.clientX - plot.over.getBoundingClientRect().left;
      player.seek(nearestFrame(plot.posToVal(left, 'x'), frameCount) - 1);
    };
    plot.over.addEventListener('mousedown', onDown);
    plot.over.addEventListener('mouseup', onUp);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height: HEIGHT }));
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
      setHoveredFrame(null);
    };
  }, [analysis, player, theme, pointFrames, fps, frameCount]);

  useEffect(() => {
    const plot = plotRef.current;
    const marker = playheadRef.current;
    if (!plot || !marker) return;
    const x = plot.valToPos(frame + 1, 'x');
    marker.style.display = x >= 0 && x <= plot.over.clientWidth ? 'block' : 'none';
    marker.style.left = `${plot.over.offsetLeft + x}px`;
  }, [frame]);

  const toggleSeries = (index: number) => {
    const next = new Set(hidden);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    setHidden(next);
    plotRef.current?.setSeries(index + 1, { show: !next.has(index) });
  };

  const shownFrame = hoveredFrame ?? frame + 1;
  const point = analysis.timeline[nearestPointIndex(pointFrames, shownFrame)];
  return (
    <div className="timeline" data-testid="motion-timeline" ref={rootRef}>
      <div ref={hostRef} className="timeline-plot" />
      <div ref={playheadRef} className="timeline-playhead" />
      <div className="timeline-legend" data-testid="timeline-legend">
        <span className="legend-frame" data-testid="timeline-frame" title={hoveredFrame === null ? 'At the playhead' : 'Under the pointer'}>
          frame {shownFrame}
        </span>
        {SERIES.map((series, index) => (
          <button
            key={series.key}
            className={hidden.has(index) ? 'legend-item off' : 'legend-item'}
            aria-pressed={!hidden.has(index)}
            title={hidden.has(index) ? 'Show this curve' : 'Hide this curve'}
            onClick={() => toggleSeries(index)}
          >
            <span className="legend-swatch" style={{ background: series.stroke }} />
            {series.label} <span className="legend-value">{formatValue(point?.[series.key])}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
