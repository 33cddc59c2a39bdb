// An O-T-A draft from a motion reading, in CamReasoner's shape: <observation> cites what was
// measured (frame ranges, drift in % of the width per second, parallax), <think> derives the
// camera motion from it by the rules of DESIGN.md "Camera motion, geometrically", and
// <answer> is the option letter. A reviewer edits it; it must lint clean for its own answer, so
// the observation describes only the content (never "the camera …"), and the think asserts a
// motion only when its score says yes.
import { letterOfOption, primitiveInfo, yesNoOfOption, type Primitive } from '../camerabench/primitives';
import type { MotionReading, MotionSegment } from './reading';

export const CAMERABENCH_OPTIONS: readonly string[] = ['A. No', 'B. Yes'];

/** A primitive's question reads Yes at or above this score. */
export const YES_THRESHOLD = 0.5;

export interface DraftRequest {
  primitive: Primitive;
  /** The sample's options; CameraBench's "A. No", "B. Yes" by default. */
  options?: readonly string[];
}

export interface Draft {
  text: string;
  letter: string;
  isYes: boolean;
  score: number;
}

const one = (value: number) => value.toFixed(1);
const two = (value: number) => value.toFixed(2);

function frames(segment: MotionSegment): string {
  return `frames ${segment.firstFrame}–${segment.lastFrame} (${one(segment.startSeconds)}–${one(segment.endSeconds)} s)`;
}

function horizontal(percent: number): string {
  return percent < 0 ? 'left' : 'right';
}

function vertical(percent: number): string {
  return percent < 0 ? 'up' : 'down';
}

/** What the content did in a segment, with the numbers. Content is the subject, never the camera. */
export function describeSegment(segment: MotionSegment): string {
  const parallax = `parallax ${two(segment.parallax)}`;
  const zoomPercent = Math.abs(segment.zoomPerSecond - 1) * 100;
  switch (segment.primitive) {
    case 'still':
      return `${frames(segment)}: the content barely shifts (drift ${one(Math.hypot(segment.driftPercentX, segment.driftPercentY))} % of the width per second, rotation ${one(Math.hypot(segment.panDegreesPerSecond, segment.tiltDegreesPerSecond))} °/s)`;
    case 'Pan_Left':
    case 'Pan_Right':
      return `${frames(segment)}: the content drifts ${horizontal(segment.driftPercentX)} ${one(Math.abs(segment.driftPercentX))} % of the width per second, uniformly at all depths (${parallax}); one homography fits every point, a turn of ${one(Math.abs(segment.panDegreesPerSecond))} °/s about the vertical axis`;
    case 'Tilt_Up':
    case 'Tilt_Down':
      return `${frames(segment)}: the content drifts ${vertical(segment.driftPercentY)} ${one(Math.abs(segment.driftPercentY))} % of the width per second, uniformly at all depths (${parallax}); one homography fits every point, a turn of ${one(Math.abs(segment.tiltDegreesPerSecond))} °/s about the horizontal axis`;
    case 'Roll_Clockwise':
    case 'Roll_Counterclockwise':
      return `${frames(segment)}: the content turns ${segment.rollDegreesPerSecond > 0 ? 'counter-clockwise' : 'clockwise'} about the image centre at ${one(Math.abs(segment.rollDegreesPerSecond))} °/s, the same at all depths (${parallax})`;
    case 'Zoom_In':
    case 'Zoom_Out':
      return `${frames(segment)}: the content ${segment.zoomPerSecond > 1 ? 'expands from' : 'contracts towards'} the centre by ${one(zoomPercent)} % per second, every point by the same factor whatever its depth (${parallax})`;
    case 'Move_In':
    case 'Move_Out':
      return `${frames(segment)}: the content ${segment.primitive === 'Move_In' ? 'expands from' : 'contracts towards'} a focus near the centre at ${one(segment.translationPercent)} % of the width per second, near points faster than far ones (${parallax})`;
    case 'Move_Left':
    case 'Move_Right':
      return `${frames(segment)}: the content drifts ${horizontal(segment.driftPercentX)} ${one(Math.abs(segment.driftPercentX))} % of the width per second, near points faster than far ones (${parallax})`;
    case 'Move_Up':
    case 'Move_Down':
      return `${frames(segment)}: the content drifts ${vertical(segment.driftPercentY)} ${one(Math.abs(segment.driftPercentY))} % of the width per second, near points faster than far ones (${parallax})`;
    case 'Static':
      return `${frames(segment)}: the content barely shifts`;
  }
}

/** The rule that turns a segment's observation into a camera motion. */
function ruleOf(primitive: Primitive): string {
  switch (primitive) {
    case 'Pan_Left': return 'content drifting right uniformly, without parallax, comes from a rotation to the left';
    case 'Pan_Right': return 'content drifting left uniformly, without parallax, comes from a rotation to the right';
    case 'Tilt_Up': return 'content drifting down uniformly, without parallax, comes from a rotation upwards';
    case 'Tilt_Down': return 'content drifting up uniformly, without parallax, comes from a rotation downwards';
    case 'Roll_Clockwise': return 'content turning counter-clockwise about the centre comes from a clockwise rotation about the optical axis';
    case 'Roll_Counterclockwise': return 'content turning clockwise about the centre comes from a counter-clockwise rotation about the optical axis';
    case 'Zoom_In': return 'expansion by one factor at every depth is a focal change, not travel';
    case 'Zoom_Out': return 'contraction by one factor at every depth is a focal change, not travel';
    case 'Move_In': return 'expansion that is faster for near points is travel forward';
    case 'Move_Out': return 'contraction that is faster for near points is travel backward';
    case 'Move_Left': return 'content drifting right with near points faster is sideways travel to the left';
    case 'Move_Right': return 'content drifting left with near points faster is sideways travel to the right';
    case 'Move_Up': return 'content drifting down with near points faster is vertical travel upwards';
    case 'Move_Down': return 'content drifting up with near points faster is vertical travel downwards';
    case 'Static': return 'no drift, turn or scale change beyond tracking noise';
  }
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

export function draftChain(reading: MotionReading, request: DraftRequest): Draft {
  const options = request.options ?? CAMERABENCH_OPTIONS;
  const score = reading.scores[request.primitive];
  const isYes = score >= YES_THRESHOLD;
  const letter = options.map((option) => ({ letter: letterOfOption(option), yesNo: yesNoOfOption(option) }))
    .find((option) => option.yesNo === (isYes ? 'yes' : 'no'))?.letter;
  if (letter === undefined || letter === null) throw new Error(`the options ${JSON.stringify(options)} have no "${isYes ? 'Yes' : 'No'}" letter`);

  const summary = reading.summary;
  const observation = [
    `Sampled at ${summary.fps} fps, ${summary.frameCount} frames (${one(summary.durationSeconds)} s), ${Math.round(summary.meanTrackCount)} tracked points per frame pair, ${Math.round(summary.meanInlierRatio * 100)} % consistent with one homography.`,
    ...reading.segments.map((segment) => sentence(describeSegment(segment))),
    `Frame-to-frame jitter of the rotation: ${two(summary.shakeDegrees)}° per frame.`,
  ].join(' ');

  const thoughts: string[] = [];
  const seen = new Set<Primitive>();
  for (const segment of reading.segments) {
    if (segment.primitive === 'still' || segment.primitive === 'Static' || seen.has(segment.primitive)) continue;
    seen.add(segment.primitive);
    const info = primitiveInfo(segment.primitive);
    // Only a motion whose score says yes is asserted, so the chain never contradicts its answer.
    const conclusion = reading.scores[segment.primitive] >= YES_THRESHOLD
      ? `so over ${frames(segment)} the camera ${info.assertion}`
      : `but over ${frames(segment)} it is too weak or brief to count as a deliberate move`;
    thoughts.push(sentence(`${ruleOf(segment.primitive)}, ${conclusion}`));
  }
  const shakeNote = summary.shakeDegrees >= 0.12
    ? `The rotation jitters around its mean by ${two(summary.shakeDegrees)}° per frame, which is shake.`
    : `The rotation jitters by only ${two(summary.shakeDegrees)}° per frame, within tracking noise.`;
  thoughts.push(shakeNote);
  const info = primitiveInfo(request.primitive);
  if (request.primitive === 'Static') {
    thoughts.push(isYes
      ? `With ${ruleOf('Static')}, the camera ${info.assertion} (score ${two(score)}).`
      : `The measurements show movement or shaking, so the camera ${info.denial} (score ${two(score)}).`);
  } else {
    thoughts.push(isYes
      ? `The question asks whether the camera ${info.assertion.replace(/ \(.*\)$/, '')}: yes, the camera ${info.assertion} (score ${two(score)}).`
      : `The question asks whether the camera ${info.assertion.replace(/ \(.*\)$/, '')}: the measurements say the camera ${info.denial} (score ${two(score)}).`);
  }
  const text = `<observation>${observation}</observation><think>${thoughts.join(' ')}</think><answer>${letter}</answer>`;
  return { text, letter, isYes, score };
}
