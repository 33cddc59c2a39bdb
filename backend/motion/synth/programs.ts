// Camera motion programs: what the camera does over one clip, frame by frame, with the
// CameraBench labels that follow from it. The math is plain (no Node); the analyzer benchmark
// and the renderer's ground-truth overlay may import it.
//
// Amounts are totals over the clip, signed as the film-grammar directions (DESIGN.md "Camera
// motion, geometrically"): dolly > 0 forward along the initial optical axis, truck > 0 to the
// camera's right, pedestal > 0 up, pan > 0 right, tilt > 0 up, roll > 0 clockwise (seen from
// behind the camera), zoom > 1 in. Translations are measured in the initial camera frame,
// matching CameraBench's "with respect to the initial frame".
import { primitiveOfMotion, type MotionDirection, type Primitive } from '../../../common/camerabench/primitives';
import {
  add, degreesToRadians, intrinsicsFromFov, radiansToDegrees, scale, zoomIntrinsics, type CameraState, type Vec3,
} from '../../../common/geometry/camera';
import { between, deriveSeed, seededRandom, type Random } from '../../../common/random';

export const SPEEDS = ['slow', 'medium', 'fast'] as const;
export type Speed = (typeof SPEEDS)[number];

/** constant: the same speed throughout; ease-in-out: starts and stops smoothly (smoothstep). */
export type Easing = 'constant' | 'ease-in-out';

export const MOVES = ['dolly', 'truck', 'pedestal', 'pan', 'tilt', 'roll', 'zoom'] as const;
export type Move = (typeof MOVES)[number];

/** Signed totals; zoom is a focal-length factor (1 = none), the rest metres or degrees. */
export type MotionAmounts = Record<Move, number>;

/**
 * aim-at-subject: yaw and pitch follow from the position so a subject ahead stays centred (an
 * arc, or a pedestal that keeps its subject framed). keep-subject-size: the focal length grows
 * with the distance to the subject (a dolly zoom).
 */
export type Coupling = 'aim-at-subject' | 'keep-subject-size';

export interface ProgramKind {
  kind: string;
  title: string;
  /** The moves the camera makes by itself, each +1 or −1 in the signs above. */
  moves: Partial<Record<Exclude<Move, 'zoom'> | 'zoom', 1 | -1>>;
  coupling?: Coupling;
  /** Hand-held shake: small rotation jitter around the rest pose, no net motion. */
  isHandheld?: boolean;
}

/**
 * Round-robin order: the first 15 kinds cover every CameraBench primitive once, in the Table-1
 * order of PRIMITIVES, so any `--count` ≥ 15 has every primitive as a Yes at least once.
 */
export const PROGRAM_KINDS: readonly ProgramKind[] = [
  { kind: 'dolly_in', title: 'dolly in', moves: { dolly: 1 } },
  { kind: 'dolly_out', title: 'dolly out', moves: { dolly: -1 } },
  { kind: 'pedestal_up', title: 'pedestal up', moves: { pedestal: 1 } },
  { kind: 'pedestal_down', title: 'pedestal down', moves: { pedestal: -1 } },
  { kind: 'truck_left', title: 'truck left', moves: { truck: -1 } },
  { kind: 'truck_right', title: 'truck right', moves: { truck: 1 } },
  { kind: 'zoom_in', title: 'zoom in', moves: { zoom: 1 } },
  { kind: 'zoom_out', title: 'zoom out', moves: { zoom: -1 } },
  { kind: 'pan_left', title: 'pan left', moves: { pan: -1 } },
  { kind: 'pan_right', title: 'pan right', moves: { pan: 1 } },
  { kind: 'tilt_up', title: 'tilt up', moves: { tilt: 1 } },
  { kind: 'tilt_down', title: 'tilt down', moves: { tilt: -1 } },
  { kind: 'roll_clockwise', title: 'roll clockwise', moves: { roll: 1 } },
  { kind: 'roll_counterclockwise', title: 'roll counterclockwise', moves: { roll: -1 } },
  { kind: 'static', title: 'static (locked-off camera)', moves: {} },
  { kind: 'handheld', title: 'static with hand-held shake', moves: {}, isHandheld: true },
  { kind: 'dolly_in_pan_left', title: 'dolly in while panning left', moves: { dolly: 1, pan: -1 } },
  { kind: 'arc_right', title: 'arc right: truck right and pan left, subject kept centred', moves: { truck: 1 }, coupling: 'aim-at-subject' },
  { kind: 'arc_left', title: 'arc left: truck left and pan right, subject kept centred', moves: { truck: -1 }, coupling: 'aim-at-subject' },
  { kind: 'pedestal_up_tilt_down', title: 'pedestal up and tilt down, subject kept centred', moves: { pedestal: 1 }, coupling: 'aim-at-subject' },
  { kind: 'dolly_zoom', title: 'dolly zoom: dolly out and zoom in, subject kept the same size', moves: { dolly: -1 }, coupling: 'keep-subject-size' },
  { kind: 'pan_right_tilt_up', title: 'diagonal: pan right and tilt up', moves: { pan: 1, tilt: 1 } },
  { kind: 'truck_left_pedestal_down', title: 'diagonal move: truck left and pedestal down', moves: { truck: -1, pedestal: -1 } },
  { kind: 'dolly_out_roll_counterclockwise', title: 'dolly out while rolling counterclockwise', moves: { dolly: -1, roll: -1 } },
];

/** Rates per second at each speed (zoom: natural log of the focal factor per second). */
const RATES: Record<Move, Record<Speed, number>> = {
  dolly: { slow: 0.4, medium: 0.8, fast: 1.4 },
  truck: { slow: 0.3, medium: 0.6, fast: 1.0 },
  pedestal: { slow: 0.2, medium: 0.35, fast: 0.55 },
  pan: { slow: 4, medium: 8, fast: 14 },
  tilt: { slow: 3, medium: 6, fast: 10 },
  roll: { slow: 4, medium: 8, fast: 14 },
  zoom: { slow: 0.1, medium: 0.2, fast: 0.33 },
};

/** Caps on the totals, so long clips stay inside the scene and the view stays sensible. */
const LIMITS: Record<Move, number> = { dolly: 5, truck: 3.5, pedestal: 1.5, pan: 50, tilt: 28, roll: 40, zoom: Math.log(3) };

/** Hand-held shake amplitude in degrees per speed (speed here means how strong the shake is). */
const SHAKE_DEGREES: Record<Speed, number> = { slow: 0.15, medium: 0.3, fast: 0.6 };

const SUBJECT_DISTANCE = { min: 5, max: 8 };

export interface ShakeComponent {
  axis: 'yaw' | 'pitch' | 'roll';
  frequencyHz: number;
  phase: number;
  amplitudeDegrees: number;
}

export interface StartPose {
  position: Vec3;
  yawDegrees: number;
  pitchDegrees: number;
  rollDegrees: number;
  horizontalFovDegrees: number;
}

export interface MotionProgram {
  kind: string;
  /** Readable and unique within a dataset once prefixed with the clip number. */
  name: string;
  description: string;
  speed: Speed;
  easing: Easing;
  /** Totals at the last frame, coupled moves included (an arc's pan, a dolly zoom's zoom). */
  amounts: MotionAmounts;
  coupling: Coupling | null;
  /** World position of the subject for coupled programs (also placed in the scene). */
  subject: Vec3 | null;
  shake: ShakeComponent[];
  start: StartPose;
  /** CameraBench primitives that are Yes for this clip. */
  primitives: Primitive[];
}

export interface ClipTiming {
  width: number;
  height: number;
  fps: number;
  durationSeconds: number;
}

export function frameCount({ fps, durationSeconds }: Pick<ClipTiming, 'fps' | 'durationSeconds'>): number {
  return Math.max(2, Math.round(fps * durationSeconds));
}

const MOVE_FAMILY_DIRECTIONS: Record<Exclude<Move, never>, readonly [MotionDirection, MotionDirection]> = {
  // [positive, negative]
  dolly: ['in', 'out'],
  truck: ['right', 'left'],
  pedestal: ['up', 'down'],
  pan: ['right', 'left'],
  tilt: ['up', 'down'],
  roll: ['clockwise', 'counterclockwise'],
  zoom: ['in', 'out'],
};

/** Below these totals a move is not a label (coupled moves are always well above them). */
const LABEL_THRESHOLDS: Record<Move, number> = { dolly: 0.05, truck: 0.05, pedestal: 0.05, pan: 1, tilt: 1, roll: 1, zoom: 0.03 };

/**
 * CameraBench labels of a program. A combination is Yes for each of its moves (dolly in + pan
 * left → Move_In and Pan_Left). Static is Yes only for a locked-off camera: its question asks
 * whether the camera is "completely still without any motion or shaking", so hand-held shake is
 * No for Static and, having no intentional move, No for every other primitive too.
 */
export function labelsOf(amounts: MotionAmounts, isHandheld: boolean): Primitive[] {
  const primitives: Primitive[] = [];
  for (const move of MOVES) {
    const value = move === 'zoom' ? Math.log(amounts.zoom) : amounts[move];
    if (Math.abs(value) < LABEL_THRESHOLDS[move]) continue;
    const [positive, negative] = MOVE_FAMILY_DIRECTIONS[move];
    const primitive = primitiveOfMotion(move, value > 0 ? positive : negative);
    if (primitive) primitives.push(primitive);
  }
  if (primitives.length === 0 && !isHandheld) primitives.push('Static');
  // Table-1 order, so labels read the same whatever order the moves were listed in.
  return primitives.sort((a, b) => PRIMITIVE_ORDER.indexOf(a) - PRIMITIVE_ORDER.indexOf(b));
}

const PRIMITIVE_ORDER: readonly Primitive[] = [
  'Move_In', 'Move_Out', 'Move_Up', 'Move_Down', 'Move_Left', 'Move_Right', 'Zoom_In', 'Zoom_Out',
  'Pan_Left', 'Pan_Right', 'Tilt_Up', 'Tilt_Down', 'Roll_Clockwise', 'Roll_Counterclockwise', 'Static',
];

function smoothstep(x: number): number {
  return x * x * (3 - 2 * x);
}

export function progressAt(easing: Easing, fraction: number): number {
  const clamped = Math.min(1, Math.max(0, fraction));
  return easing === 'constant' ? clamped : smoothstep(clamped);
}

/**
 * The program of clip `index`: kinds round-robin, speeds rotating so that every kind meets
 * every speed within three rounds, and the rest (easing, amounts ±15 %, start pose, subject
 * distance, shake) drawn from a seed derived from (seed, index).
 */
export function programForClip(index: number, seed: number, timing: Pick<ClipTiming, 'durationSeconds'>): MotionProgram {
  const kind = PROGRAM_KINDS[index % PROGRAM_KINDS.length]!;
  const round = Math.floor(index / PROGRAM_KINDS.length);
  const speed = SPEEDS[(round + index) % SPEEDS.length]!;
  return buildProgram(kind, speed, seededRandom(deriveSeed(seed, 'program', index)), timing.durationSeconds);
}

export function buildProgram(kind: ProgramKind, speed: Speed, random: Random, durationSeconds: number): MotionProgram {
  const easing: Easing = random() < 0.5 ? 'constant' : 'ease-in-out';
  const amounts: MotionAmounts = { dolly: 0, truck: 0, pedestal: 0, pan: 0, tilt: 0, roll: 0, zoom: 1 };
  for (const move of MOVES) {
    const sign = kind.moves[move];
    if (sign === undefined) continue;
    const total = Math.min(RATES[move][speed] * durationSeconds, LIMITS[move]) * between(random, 0.85, 1.15);
    if (move === 'zoom') amounts.zoom = Math.exp(sign * total);
    else amounts[move] = sign * total;
  }
  const baseFov = between(random, 50, 64);
  // A zoom out starts narrower, so that it ends at the usual field of view rather than a fisheye.
  const startFov = amounts.zoom < 1 ? fovForFocalFactor(baseFov, 1 / amounts.zoom) : baseFov;
  const height = Math.max(between(random, 1.5, 1.8), 0.6 - Math.min(0, amounts.pedestal));
  const start: StartPose = {
    position: [between(random, -0.5, 0.5), 0, height],
    yawDegrees: between(random, -10, 10),
    pitchDegrees: 0,
    rollDegrees: 0,
    horizontalFovDegrees: startFov,
  };
  const coupling = kind.coupling ?? null;
  const forward = initialAxes(start).forward;
  const subject = coupling ? add(start.position, scale(forward, between(random, SUBJECT_DISTANCE.min, SUBJECT_DISTANCE.max))) : null;
  const shake = kind.isHandheld ? shakeComponents(random, SHAKE_DEGREES[speed]) : [];
  const isStatic = kind.kind === 'static';
  const program: MotionProgram = {
    kind: kind.kind,
    name: isStatic ? kind.kind : `${kind.kind}_${speed}`,
    description: isStatic ? kind.title : `${kind.title}, ${speed}, ${easing === 'constant' ? 'constant speed' : 'easing in and out'}`,
    speed,
    easing,
    amounts,
    coupling,
    subject,
    shake,
    start,
    primitives: [],
  };
  // Coupled moves are whatever keeps the subject framed; read their totals off the last pose.
  if (coupling) {
    const first = poseAt(program, 0);
    const last = poseAt(program, 1);
    amounts.pan = last.yawDegrees - first.yawDegrees;
    amounts.tilt = last.pitchDegrees - first.pitchDegrees;
    amounts.zoom = last.focalFactor;
  }
  program.primitives = labelsOf(amounts, kind.isHandheld === true);
  return program;
}

function fovForFocalFactor(fovDegrees: number, factor: number): number {
  return radiansToDegrees(2 * Math.atan(Math.tan(degreesToRadians(fovDegrees) / 2) / factor));
}

function shakeComponents(random: Random, amplitudeDegrees: number): ShakeComponent[] {
  const components: ShakeComponent[] = [];
  for (const axis of ['yaw', 'pitch', 'roll'] as const) {
    // Two frequencies per axis, hand tremor and body sway; roll shakes less than pan and tilt.
    for (const [low, high] of [[0.6, 1.6], [2.5, 5.5]] as const) {
      components.push({
        axis,
        frequencyHz: between(random, low, high),
        phase: between(random, 0, 2 * Math.PI),
        amplitudeDegrees: amplitudeDegrees * between(random, 0.4, 0.8) * (axis === 'roll' ? 0.5 : 1),
      });
    }
  }
  return components;
}

function initialAxes(start: StartPose): { right: Vec3; forward: Vec3; up: Vec3 } {
  const yaw = degreesToRadians(start.yawDegrees);
  return { right: [Math.cos(yaw), -Math.sin(yaw), 0], forward: [Math.sin(yaw), Math.cos(yaw), 0], up: [0, 0, 1] };
}

interface Pose {
  position: Vec3;
  yawDegrees: number;
  pitchDegrees: number;
  rollDegrees: number;
  focalFactor: number;
}

/** The pose at eased progress `progress` ∈ [0, 1], without shake. */
function poseAt(program: MotionProgram, progress: number): Pose {
  const { start, amounts, subject, coupling } = program;
  const axes = initialAxes(start);
  const position = add(
    start.position,
    add(add(scale(axes.forward, progress * amounts.dolly), scale(axes.right, progress * amounts.truck)), scale(axes.up, progress * amounts.pedestal)),
  );
  const pose: Pose = {
    position,
    yawDegrees: start.yawDegrees + progress * amounts.pan,
    pitchDegrees: start.pitchDegrees + progress * amounts.tilt,
    rollDegrees: start.rollDegrees + progress * amounts.roll,
    // Exponential, so a zoom changes the image scale at a steady rate.
    focalFactor: Math.pow(amounts.zoom, progress),
  };
  if (subject && coupling === 'aim-at-subject') {
    const dx = subject[0] - position[0];
    const dy = subject[1] - position[1];
    pose.yawDegrees = radiansToDegrees(Math.atan2(dx, dy));
    pose.pitchDegrees = radiansToDegrees(Math.atan2(subject[2] - position[2], Math.hypot(dx, dy)));
  }
  if (subject && coupling === 'keep-subject-size') {
    const startDistance = Math.hypot(subject[0] - start.position[0], subject[1] - start.position[1]);
    pose.focalFactor = Math.hypot(subject[0] - position[0], subject[1] - position[1]) / startDistance;
  }
  return pose;
}

function shakeAt(shake: readonly ShakeComponent[], time: number): { yaw: number; pitch: number; roll: number } {
  const offset = { yaw: 0, pitch: 0, roll: 0 };
  for (const component of shake) {
    // Minus the value at t = 0, so the first frame is the rest pose.
    const angle = 2 * Math.PI * component.frequencyHz * time + component.phase;
    offset[component.axis] += component.amplitudeDegrees * (Math.sin(angle) - Math.sin(component.phase));
  }
  return offset;
}

/** One camera state per frame; frame k is at time k / fps and the last frame ends the move. */
export function cameraStates(program: MotionProgram, timing: ClipTiming): CameraState[] {
  const count = frameCount(timing);
  const base = intrinsicsFromFov(timing.width, timing.height, program.start.horizontalFovDegrees);
  const states: CameraState[] = [];
  for (let frame = 0; frame < count; frame++) {
    const pose = poseAt(program, progressAt(program.easing, frame / (count - 1)));
    const shake = shakeAt(program.shake, frame / timing.fps);
    states.push({
      intrinsics: zoomIntrinsics(base, pose.focalFactor),
      position: pose.position,
      yaw: degreesToRadians(pose.yawDegrees + shake.yaw),
      pitch: degreesToRadians(pose.pitchDegrees + shake.pitch),
      roll: degreesToRadians(pose.rollDegrees + shake.roll),
    });
  }
  return states;
}
