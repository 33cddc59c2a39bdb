// The analyzer's motion timeline (uPlot): pan/tilt/roll in °/s on the left axis, zoom rate and
// parallax on the right, x in clip frames (timeline frame × frameStride), with the playhead.
// Drag to zoom, double-click to reset, click to seek.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { ClipAnalysis } from '../../common/api/contract';
import type { Player } from './player';
import { usePlayerState } from './FramePlayer';

const SERIES = [
  { label: 'pan °/s', key: 'panDegreesPerSecond', stroke: '#4e9cff', scale: 'deg' },
  { label: 'tilt °/s', key: 'tiltDegreesPerSecond', stroke: '#3fbf7f', scale: 'deg' },
  { label: 'roll °/s', key: 'rollDegreesPerSecond', stroke: '#f0a030', scale: 'deg' },
  { label: 'zoom /s', key: 'zoomPerSecond', stroke: '#c678dd', scale: 'rel' },
  { label: 'parallax', key: 'parallax', stroke: '#e06c75', scale: 'rel' },
] as const;

export function MotionTimeline({ analysis, player }: { analysis: ClipAnalysis; player: Player }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const playheadRef = useRef<HTMLDivElement>(null);
  const { frame } = usePlayerState(player);
  const frameRef = useRef(frame);
  frameRef.current = frame;
  // uPlot draws axes on a canvas with colours read once: redraw when the theme changes.
  const [theme, setTheme] = useState(document.documentElement.dataset['theme']);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset['theme']));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const xs = analysis.timeline.map((point) => point.frame * analysis.frameStride);
    const fps = player.media.fps;
    const data: uPlot.AlignedData = [xs, ...SERIES.map((series) => analysis.timeline.map((point) => point[series.key]))];
    const axisStroke = getComputedStyle(document.documentElement).getPropertyValue('--text-muted').trim() || '#888';
    const grid = { stroke: 'rgba(128,128,128,0.15)', width: 1 };
    const placePlayhead = (plot: uPlot) => {
      const marker = playheadRef.current;
      if (!marker) return;
      const x = plot.valToPos(frameRef.current, 'x');
      const isInside = x >= 0 && x <= plot.over.clientWidth;
      marker.style.display = isInside ? 'block' : 'none';
      marker.style.left = `${plot.over.offsetLeft + x}px`;
      marker.style.top = `${plot.over.offsetTop}px`;
      marker.style.height = `${plot.over.clientHeight}px`;
    };
    // The analyzer's segments as labelled bands along the top of the plot.
    const drawSegments = (plot: uPlot) => {
      const context = plot.ctx;
      const { top, height } = plot.bbox;
      const ratio = devicePixelRatio;
      context.save();
      context.font = `${Math.round(10 * ratio)}px system-ui, sans-serif`;
      context.textBaseline = 'top';
      analysis.segments.forEach((segment, index) => {
        // Segment frame numbers count the analyzer's sampled frames; seconds place them on clip frames.
        const left = plot.valToPos(segment.startSeconds * fps, 'x', true);
        const right = plot.valToPos(segment.endSeconds * fps, 'x', true);
        if (right <= left) return;
        context.fillStyle = index % 2 ? 'rgba(128,128,128,0.10)' : 'rgba(128,128,128,0.18)';
        context.fillRect(left, top, right - left, height);
        context.fillStyle = axisStroke;
        context.fillText(segment.primitive, left + 3 * ratio, top + 2 * ratio, Math.max(0, right - left - 4 * ratio));
      });
      context.restore();
    };
    const options: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: 150,
      scales: { x: { time: false }, deg: {}, rel: {} },
      axes: [
        { stroke: axisStroke, grid, ticks: grid, label: 'frame', labelSize: 14, size: 30 },
        { scale: 'deg', stroke: axisStroke, grid, ticks: grid, size: 40 },
        { scale: 'rel', side: 1, stroke: axisStroke, grid: { show: false }, ticks: grid, size: 40 },
      ],
      series: [{ label: 'frame' }, ...SERIES.map((series) => ({ label: series.label, stroke: series.stroke, width: 1.5, scale: series.scale }))],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      hooks: { draw: [drawSegments, placePlayhead] },
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
      player.seek(Math.round(plot.posToVal(left, 'x')));
    };
    plot.over.addEventListener('mousedown', onDown);
    plot.over.addEventListener('mouseup', onUp);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(200, host.clientWidth), height: 150 }));
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [analysis, player, theme]);

  useEffect(() => {
    const plot = plotRef.current;
    const marker = playheadRef.current;
    if (!plot || !marker) return;
    const x = plot.valToPos(frame, 'x');
    marker.style.display = x >= 0 && x <= plot.over.clientWidth ? 'block' : 'none';
    marker.style.left = `${plot.over.offsetLeft + x}px`;
  }, [frame]);

  return (
    <div className="timeline" data-testid="motion-timeline">
      <div ref={hostRef} className="timeline-plot" />
      <div ref={playheadRef} className="timeline-playhead" />
    </div>
  );
}
