// From per-pair motion to a clip's reading: a timeline of rates, segments of steady motion,
// and a score in [0, 1] for each of the 15 CameraBench primitives (DESIGN.md "Evaluation
// protocols": a model with probabilities submits P(Yes); these scores play that part).
import { PRIMITIVES, type Primitive } from '../camerabench/primitives';
import { DEFAULT_FOV_DEGREES, quantile } from './geometry';
import type { PairMotion, Vector3 } from './pairMotion';

export interface TimelinePoint {
  /** 0-based index of the pair's first sampled frame. */
  frame: number;
  /** Seconds at the middle of the pair. */
  time: number;
  /** Camera rotation rates, degrees per second: pan > 0 right, tilt > 0 up, roll > 0 clockwise. */
  panDegreesPerSecond: number;
  tiltDegreesPerSecond: number;
  rollDegreesPerSecond: number;
  /** Focal change per second as a factor: 1.1 zooms in 10 % per second, 1 holds. */
  zoomPerSecond: number;
  /** Median content drift, percent of the frame width per second (x right, y down). */
  driftPercentX: number;
  driftPercentY: number;
  /** Camera travel direction (unit, camera frame x right, y down, z forward), or null. */
  translation: Vector3 | null;
  /** Speed of the content along the travel pattern, percent of the width per second. */
  translationPercent: number;
  /**
   * That speed split by travel component (x truck, y pedestal, z dolly's radial flow), percent
   * of the width per second, signed as the travel (camera frame); absent in older readings.
   */
  translationComponentsPercent?: Vector3;
  parallax: number;
  /** Rotation jitter of this pair around the local mean, degrees (pan and tilt in a 60° lens's: see lensFactor). */
  shake: number;
  inlierRatio: number;
  trackCount: number;
}

/** The timeline quantities a segment averages. */
type SegmentMeans = Pick<
  TimelinePoint,
  | 'panDegreesPerSecond'
  | 'tiltDegreesPerSecond'
  | 'rollDegreesPerSecond'
  | 'zoomPerSecond'
  | 'driftPercentX'
  | 'driftPercentY'
  | 'translationPercent'
  | 'parallax'
>;

/** A run of sampled frames with one dominant motion ('still' when none); the means are over it. */
export interface MotionSegment extends SegmentMeans {
  /** 1-based sampled frame numbers, inclusive, as the observation cites them. */
  firstFrame: number;
  lastFrame: number;
  startSeconds: number;
  endSeconds: number;
  primitive: Primitive | 'still';
}

export interface MotionSummary {
  durationSeconds: number;
  frameCount: number;
  fps: number;
  width: number;
  height: number;
  fovDegrees: number;
  /** Where fovDegrees came from: given by the caller, estimated from the clip, or the default when the clip could not tell. */
  fovSource?: FovSource;
  /** Means over the clip. */
  panDegreesPerSecond: number;
  tiltDegreesPerSecond: number;
  rollDegreesPerSecond: number;
  zoomPerSecond: number;
  /** Median parallax over pairs with motion. */
  parallax: number;
  /** RMS rotation jitter, degrees per sampled frame (pan and tilt in a 60° lens's: see lensFactor). */
  shakeDegrees: number;
  meanTrackCount: number;
  meanInlierRatio: number;
  /** Pairs that had too few tracks to measure (left out of the rates). */
  unmeasuredPairs: number;
}

export interface MotionReading {
  scores: Record<Primitive, number>;
  /** Per primitive, the strongest 1-second windowed evidence in its units (deg/s, pan and tilt in a 60° lens's; %/s; …). */
  evidence: Record<Primitive, number>;
  timeline: TimelinePoint[];
  segments: MotionSegment[];
  summary: MotionSummary;
}

export type FovSource = 'given' | 'estimated' | 'default';

export interface ReadingInput {
  pairs: readonly (PairMotion | null)[];
  fps: number;
  width: number;
  height: number;
  fovDegrees: number;
  fovSource?: FovSource;
}

/**
 * Where each family's score crosses 0.5, and how soft the step is, in the evidence's units.
 * Rotation in degrees per second, zoom in ln(focal ratio) per second, translation in percent of
 * the width per second of the content speed each travel component causes (TimelinePoint
 * translationComponentsPercent). Set on synthetic clips (slow moves ≈ 3–5 °/s) so that
 * the slowest deliberate move scores well above 0.5 and tracking noise well below.
 */
export const THRESHOLDS = {
  rotation: { at: 1.5, soft: 0.5 },
  roll: { at: 1.5, soft: 0.5 },
  zoom: { at: 0.04, soft: 0.012 },
  translation: { at: 1.5, soft: 0.6 },
  /** RMS jitter in degrees per sampled frame. */
  shake: { at: 0.12, soft: 0.04 },
} as const;

const FAMILY_THRESHOLD: Record<Exclude<Primitive, 'Static'>, { at: number; soft: number }> = {
  Move_In: THRESHOLDS.translation,
  Move_Out: THRESHOLDS.translation,
  Move_Up: THRESHOLDS.translation,
  Move_Down: THRESHOLDS.translation,
  Move_Left: THRESHOLDS.translation,
  Move_Right: THRESHOLDS.translation,
  Zoom_In: THRESHOLDS.zoom,
  Zoom_Out: THRESHOLDS.zoom,
  Pan_Left: THRESHOLDS.rotation,
  Pan_Right: THRESHOLDS.rotation,
  Tilt_Up: THRESHOLDS.rotation,
  Tilt_Down: THRESHOLDS.rotation,
  Roll_Clockwise: THRESHOLDS.roll,
  Roll_Counterclockwise: THRESHOLDS.roll,
};

const degrees = (radians: number) => (radians * 180) / Math.PI;
const logistic = (value: number) => 1 / (1 + Math.exp(-value));

/**
 * How much of a pair's motion is translation, 0–1, from its parallax: below 0.1 parallax is
 * read as noise, from 0.35 on the drift is taken as travel rather than rotation.
 */
export function travelWeight(parallax: number): number {
  return Math.max(0, Math.min(1, (parallax - 0.1) / 0.25));
}

/** Signed per-pair evidence: positive for the first primitive of each pair of opposites. */
interface PairEvidence {
  dolly: number;
  pedestal: number;
  truck: number;
  zoom: number;
  pan: number;
  tilt: number;
  roll: number;
}

/**
 * How much further the picture moves for a degree of pan or tilt than through the 60° lens the
 * thresholds were set with: the focal length over that lens's. Pan and tilt evidence and shake
 * count in the 60° lens's degrees, so a long lens's slow turn that sweeps the picture as fast
 * scores as the same pan (a viewer judges the picture's motion; a crop sliding over a still has
 * no lens at all). Roll turns the picture the same whatever the lens.
 */
export function lensFactor(fovDegrees: number): number {
  const halfAngle = (fov: number) => (fov * Math.PI) / 360;
  return Math.tan(halfAngle(DEFAULT_FOV_DEGREES)) / Math.tan(halfAngle(fovDegrees));
}

function evidenceOf(point: TimelinePoint, lens: number): PairEvidence {
  const weight = travelWeight(point.parallax);
  const travel = point.translation ?? { x: 0, y: 0, z: 0 };
  const speed = point.translationPercent * weight;
  // Per-component flows when the pair has them: a direction a little off axis then moves little
  // evidence between dolly and truck (see common/motion/travel).
  const components = point.translationComponentsPercent;
  // The rotation + zoom come with the travel already taken out (common/motion/travel): a pan
  // during a truck (an arc) is still a pan, so rotation is not discounted by the parallax.
  return {
    dolly: ownShare(travel, 'z') * (components === undefined ? speed * travel.z : weight * components.z),
    // Camera y points down: travel up is −y.
    pedestal: ownShare(travel, 'y') * (components === undefined ? -speed * travel.y : -weight * components.y),
    truck: ownShare(travel, 'x') * (components === undefined ? speed * travel.x : weight * components.x),
    zoom: Math.log(point.zoomPerSecond),
    pan: point.panDegreesPerSecond * lens,
    tilt: point.tiltDegreesPerSecond * lens,
    roll: point.rollDegreesPerSecond,
  };
}

/**
 * tan 15°: a travel within 15° of one camera axis is that axis's move alone. A dolly track is
 * straight while the camera pans along it, so a dolly in with a pan left travels, in the
 * camera's frame, more and more to the right; a viewer still sees a dolly in, not a truck.
 */
const CROSS_TALK = 0.27;

/** Share of a travel component that counts as its own move: what exceeds CROSS_TALK × the largest other component. */
function ownShare(travel: Vector3, axis: keyof Vector3): number {
  const own = Math.abs(travel[axis]);
  if (own < 1e-9) return 0;
  const other = Math.max(...(['x', 'y', 'z'] as const).filter((key) => key !== axis).map((key) => Math.abs(travel[key])));
  return Math.max(0, Math.min(1, (own - CROSS_TALK * other) / own));
}

const SIGNED: Record<Exclude<Primitive, 'Static'>, { key: keyof PairEvidence; sign: 1 | -1 }> = {
  Move_In: { key: 'dolly', sign: 1 },
  Move_Out: { key: 'dolly', sign: -1 },
  Move_Up: { key: 'pedestal', sign: 1 },
  Move_Down: { key: 'pedestal', sign: -1 },
  Move_Left: { key: 'truck', sign: -1 },
  Move_Right: { key: 'truck', sign: 1 },
  Zoom_In: { key: 'zoom', sign: 1 },
  Zoom_Out: { key: 'zoom', sign: -1 },
  Pan_Left: { key: 'pan', sign: -1 },
  Pan_Right: { key: 'pan', sign: 1 },
  Tilt_Up: { key: 'tilt', sign: 1 },
  Tilt_Down: { key: 'tilt', sign: -1 },
  Roll_Clockwise: { key: 'roll', sign: 1 },
  Roll_Counterclockwise: { key: 'roll', sign: -1 },
};

export function buildTimeline(input: ReadingInput): TimelinePoint[] {
  const { fps, width } = input;
  const lens = lensFactor(input.fovDegrees);
  const rotations = input.pairs.map((pair) => (pair === null ? null : [pair.rotation.pan * lens, pair.rotation.tilt * lens, pair.rotation.roll].map(degrees)));
  const jitter = highPass(rotations);
  const points: TimelinePoint[] = [];
  // Pitch from the first frame, radians (the clip is taken to start level): see levelRoll.
  let pitch = 0;
  input.pairs.forEach((pair, index) => {
    if (pair === null) return;
    const percent = (pixels: number) => (pixels / width) * 100 * fps;
    const roll = levelRoll(pair.rotation, pitch + pair.rotation.tilt / 2);
    pitch += pair.rotation.tilt;
    points.push({
      frame: index,
      time: (index + 0.5) / fps,
      panDegreesPerSecond: degrees(pair.rotation.pan) * fps,
      tiltDegreesPerSecond: degrees(pair.rotation.tilt) * fps,
      rollDegreesPerSecond: degrees(roll) * fps,
      zoomPerSecond: Math.pow(pair.rotation.zoom, fps),
      driftPercentX: percent(pair.drift.x),
      driftPercentY: percent(pair.drift.y),
      translation: pair.translation,
      translationPercent: percent(pair.translationPixels),
      translationComponentsPercent: pair.translationComponents === undefined ? undefined : {
        x: percent(pair.translationComponents.x), y: percent(pair.translationComponents.y), z: percent(pair.translationComponents.z),
      },
      parallax: pair.parallax,
      shake: jitter[index] ?? 0,
      inlierRatio: pair.inlierRatio,
      trackCount: pair.trackCount,
    });
  });
  return points;
}

/**
 * Roll about the line of sight as a viewer sees it: the horizon's turn. A pan is a turn about
 * the vertical; with the camera pitched by φ that turn has a component tan φ × pan about the
 * optical axis, which the pair's rotation reports as roll although the horizon stays level
 * (a diagonal pan right + tilt up would read as rolling counterclockwise). The pitch is summed
 * from the clip's first frame, taken as level.
 */
function levelRoll(rotation: { pan: number; roll: number }, pitch: number): number {
  return rotation.roll + rotation.pan * Math.tan(Math.max(-1.2, Math.min(1.2, pitch)));
}

/** Per pair, the rotation's distance (degrees) from a centred 5-pair running mean: shake, not the move. */
function highPass(rotations: readonly (number[] | null)[]): number[] {
  return rotations.map((rotation, index) => {
    if (rotation === null) return 0;
    const neighbours = rotations.slice(Math.max(0, index - 2), index + 3).filter((value): value is number[] => value !== null);
    const mean = [0, 1, 2].map((axis) => neighbours.reduce((sum, value) => sum + value[axis]!, 0) / neighbours.length);
    return Math.hypot(...rotation.map((value, axis) => value - mean[axis]!));
  });
}

/**
 * Trimmed mean (the middle half) of each 1-second window (at least one pair), sliding by one
 * pair. Trimmed, because a pair whose travel fit took the depth-reversed reading (a truck read
 * as a fast pan the other way, see common/motion/travel) is an outlier a plain mean would let
 * decide the window; a steady move keeps its level.
 */
function windowMeans(values: readonly number[], window: number): number[] {
  if (values.length === 0) return [];
  const size = Math.max(1, Math.min(values.length, window));
  const trim = Math.floor(size / 4);
  const means: number[] = [];
  for (let start = 0; start + size <= values.length; start += 1) {
    const kept = values.slice(start, start + size).sort((a, b) => a - b).slice(trim, size - trim);
    means.push(kept.reduce((sum, value) => sum + value, 0) / kept.length);
  }
  return means;
}

export function readMotion(input: ReadingInput): MotionReading {
  const timeline = buildTimeline(input);
  const lens = lensFactor(input.fovDegrees);
  const evidenceSeries = timeline.map((point) => evidenceOf(point, lens));
  const window = Math.round(input.fps);
  const evidence = {} as Record<Primitive, number>;
  const scores = {} as Record<Primitive, number>;
  for (const primitive of PRIMITIVES) {
    if (primitive === 'Static') continue;
    const { key, sign } = SIGNED[primitive];
    const means = windowMeans(evidenceSeries.map((pair) => sign * pair[key]), window);
    const strongest = means.length === 0 ? 0 : Math.max(0, ...means);
    evidence[primitive] = strongest;
    const threshold = FAMILY_THRESHOLD[primitive];
    scores[primitive] = logistic((strongest - threshold.at) / threshold.soft);
  }
  const summary = summarize(input, timeline);
  const shakeScore = logistic((summary.shakeDegrees - THRESHOLDS.shake.at) / THRESHOLDS.shake.soft);
  const strongestMotion = Math.max(0, ...PRIMITIVES.filter((primitive) => primitive !== 'Static').map((primitive) => scores[primitive]));
  evidence.Static = summary.shakeDegrees;
  // Static means no move and no shake (the CameraBench question says "without any motion or shaking").
  scores.Static = timeline.length === 0 ? 0.5 : (1 - strongestMotion) * (1 - shakeScore);
  return { scores, evidence, timeline, segments: segmentsOf(timeline, evidenceSeries, input.fps), summary };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function summarize(input: ReadingInput, timeline: readonly TimelinePoint[]): MotionSummary {
  const moving = timeline.filter((point) => point.translationPercent > 0 || Math.abs(point.driftPercentX) + Math.abs(point.driftPercentY) > 0.5);
  const frameCount = input.pairs.length + 1;
  return {
    durationSeconds: input.pairs.length / input.fps,
    frameCount,
    fps: input.fps,
    width: input.width,
    height: input.height,
    fovDegrees: input.fovDegrees,
    ...(input.fovSource ? { fovSource: input.fovSource } : {}),
    panDegreesPerSecond: mean(timeline.map((point) => point.panDegreesPerSecond)),
    tiltDegreesPerSecond: mean(timeline.map((point) => point.tiltDegreesPerSecond)),
    rollDegreesPerSecond: mean(timeline.map((point) => point.rollDegreesPerSecond)),
    zoomPerSecond: Math.exp(mean(timeline.map((point) => Math.log(point.zoomPerSecond)))),
    parallax: moving.length === 0 ? 0 : quantile(moving.map((point) => point.parallax), 0.5),
    shakeDegrees: Math.sqrt(mean(timeline.map((point) => point.shake * point.shake))),
    meanTrackCount: mean(timeline.map((point) => point.trackCount)),
    meanInlierRatio: mean(timeline.map((point) => point.inlierRatio)),
    unmeasuredPairs: input.pairs.filter((pair) => pair === null).length,
  };
}

/**
 * Labels each pair with its dominant primitive (evidence over threshold, the largest ratio),
 * smooths the labels with a 1-second majority vote, merges runs and folds runs shorter than
 * half a second into their neighbour, so the observation cites a few steady stretches.
 */
function segmentsOf(timeline: readonly TimelinePoint[], evidence: readonly PairEvidence[], fps: number): MotionSegment[] {
  const raw = evidence.map((pair): Primitive | 'still' => {
    let best: Primitive | 'still' = 'still';
    let bestRatio = 1;
    for (const primitive of PRIMITIVES) {
      if (primitive === 'Static') continue;
      const { key, sign } = SIGNED[primitive];
      const ratio = (sign * pair[key]) / FAMILY_THRESHOLD[primitive].at;
      if (ratio > bestRatio) {
        best = primitive;
        bestRatio = ratio;
      }
    }
    return best;
  });
  const half = Math.max(1, Math.round(fps / 2));
  const smoothed = raw.map((_, index) => {
    const votes = new Map<Primitive | 'still', number>();
    for (const label of raw.slice(Math.max(0, index - half), index + half + 1)) votes.set(label, (votes.get(label) ?? 0) + 1);
    return [...votes.entries()].sort((left, right) => right[1] - left[1])[0]![0];
  });
  const runs: { label: Primitive | 'still'; start: number; end: number }[] = [];
  smoothed.forEach((label, index) => {
    const last = runs[runs.length - 1];
    if (last && last.label === label) last.end = index;
    else runs.push({ label, start: index, end: index });
  });
  const minimum = Math.max(1, Math.round(fps / 2));
  for (let index = 0; index < runs.length && runs.length > 1; ) {
    const run = runs[index]!;
    if (run.end - run.start + 1 >= minimum) {
      index += 1;
      continue;
    }
    const neighbour = runs[index - 1] ?? runs[index + 1]!;
    neighbour.start = Math.min(neighbour.start, run.start);
    neighbour.end = Math.max(neighbour.end, run.end);
    runs.splice(index, 1);
    index = 0;
    // Merging may make two equal labels adjacent.
    for (let check = 1; check < runs.length; check += 1) {
      if (runs[check]!.label === runs[check - 1]!.label) {
        runs[check - 1]!.end = runs[check]!.end;
        runs.splice(check, 1);
        check -= 1;
      }
    }
  }
  return runs.map((run) => {
    const points = timeline.slice(run.start, run.end + 1);
    const first = points[0]!;
    const last = points[points.length - 1]!;
    return {
      // Pair k joins sampled frames k and k + 1 (0-based): frames k + 1 … k + 2 counted from 1.
      firstFrame: first.frame + 1,
      lastFrame: last.frame + 2,
      startSeconds: first.frame / fps,
      endSeconds: (last.frame + 1) / fps,
      primitive: run.label,
      panDegreesPerSecond: mean(points.map((point) => point.panDegreesPerSecond)),
      tiltDegreesPerSecond: mean(points.map((point) => point.tiltDegreesPerSecond)),
      rollDegreesPerSecond: mean(points.map((point) => point.rollDegreesPerSecond)),
      zoomPerSecond: Math.exp(mean(points.map((point) => Math.log(point.zoomPerSecond)))),
      driftPercentX: mean(points.map((point) => point.driftPercentX)),
      driftPercentY: mean(points.map((point) => point.driftPercentY)),
      translationPercent: mean(points.map((point) => point.translationPercent)),
      parallax: mean(points.map((point) => point.parallax)),
    };
  });
}
