// The physics contract (DESIGN.md "Camera motion, geometrically"): scene points projected
// through two frames of each primitive's program move the way the film-grammar signs say, and
// translation — only translation — moves near points more than far ones.
import { describe, expect, it } from 'vitest';
import { PRIMITIVES, type Primitive } from '../../../common/camerabench/primitives';
import { add, project, rayDirection, scale, subtract, type CameraState, type Vec3 } from '../../../common/geometry/camera';
import { PROGRAM_KINDS, buildProgram, cameraStates, labelsOf, programForClip, type ProgramKind } from './programs';
import { seededRandom } from '../../../common/random';

const timing = { width: 480, height: 272, fps: 25, durationSeconds: 3 };

function kind(name: string): ProgramKind {
  const found = PROGRAM_KINDS.find((candidate) => candidate.kind === name);
  if (!found) throw new Error(name);
  return found;
}

interface Motion {
  /** Displacement of the near and far point between frame 0 and frame 5. */
  near: { du: number; dv: number };
  far: { du: number; dv: number };
  /** Where both points were at frame 0, relative to the principal point. */
  offset: { x: number; y: number };
}

/** Two points on one ray through an off-centre pixel, 3 m and 30 m away, seen in frames 0 and 5. */
function motionOf(kindName: string): Motion {
  const program = buildProgram(kind(kindName), 'medium', seededRandom(1), timing.durationSeconds);
  const states = cameraStates(program, timing);
  const [first, later] = [states[0]!, states[5]!];
  const [u, v] = [0.7 * timing.width, 0.65 * timing.height];
  const direction = rayDirection(first, u, v);
  const near = add(first.position, scale(direction, 3));
  const far = add(first.position, scale(direction, 30));
  const shift = (point: Vec3, state: CameraState) => {
    const before = project(first, point)!;
    const after = project(state, point)!;
    return { du: after.u - before.u, dv: after.v - before.v };
  };
  return { near: shift(near, later), far: shift(far, later), offset: { x: u - first.intrinsics.cx, y: v - first.intrinsics.cy } };
}

const speed = (step: { du: number; dv: number }) => Math.hypot(step.du, step.dv);
const outward = (motion: Motion, step: { du: number; dv: number }) => step.du * motion.offset.x + step.dv * motion.offset.y;
/** > 0 when the content turns clockwise on screen (v grows downwards). */
const turn = (motion: Motion, step: { du: number; dv: number }) => motion.offset.x * step.dv - motion.offset.y * step.du;

function expectNoParallax(motion: Motion) {
  expect(motion.near.du).toBeCloseTo(motion.far.du, 6);
  expect(motion.near.dv).toBeCloseTo(motion.far.dv, 6);
}

function expectParallax(motion: Motion) {
  expect(speed(motion.near)).toBeGreaterThan(3 * speed(motion.far));
}

describe('motion programs: image-motion signs and parallax', () => {
  it('pan right: content drifts left, near and far together; pan left: right', () => {
    const right = motionOf('pan_right');
    expect(right.far.du).toBeLessThan(-1);
    expectNoParallax(right);
    const left = motionOf('pan_left');
    expect(left.far.du).toBeGreaterThan(1);
    expectNoParallax(left);
  });

  it('tilt up: content drifts down, without parallax; tilt down: up', () => {
    const up = motionOf('tilt_up');
    expect(up.far.dv).toBeGreaterThan(1);
    expectNoParallax(up);
    const down = motionOf('tilt_down');
    expect(down.far.dv).toBeLessThan(-1);
    expectNoParallax(down);
  });

  it('roll clockwise: content turns counter-clockwise, without parallax', () => {
    const clockwise = motionOf('roll_clockwise');
    expect(turn(clockwise, clockwise.far)).toBeLessThan(0);
    expectNoParallax(clockwise);
    const counterclockwise = motionOf('roll_counterclockwise');
    expect(turn(counterclockwise, counterclockwise.far)).toBeGreaterThan(0);
    expectNoParallax(counterclockwise);
  });

  it('zoom in: content expands about the centre, near and far alike; zoom out contracts', () => {
    const zoomIn = motionOf('zoom_in');
    expect(outward(zoomIn, zoomIn.far)).toBeGreaterThan(0);
    expectNoParallax(zoomIn);
    const zoomOut = motionOf('zoom_out');
    expect(outward(zoomOut, zoomOut.far)).toBeLessThan(0);
    expectNoParallax(zoomOut);
  });

  it('dolly in: content expands, near much faster (parallax); dolly out contracts', () => {
    const dollyIn = motionOf('dolly_in');
    expect(outward(dollyIn, dollyIn.near)).toBeGreaterThan(0);
    expect(outward(dollyIn, dollyIn.far)).toBeGreaterThan(0);
    expectParallax(dollyIn);
    const dollyOut = motionOf('dolly_out');
    expect(outward(dollyOut, dollyOut.near)).toBeLessThan(0);
    expectParallax(dollyOut);
  });

  it('truck right: content drifts left, near faster; truck left: right', () => {
    const right = motionOf('truck_right');
    expect(right.near.du).toBeLessThan(0);
    expect(right.far.du).toBeLessThan(0);
    expectParallax(right);
    const left = motionOf('truck_left');
    expect(left.near.du).toBeGreaterThan(0);
    expectParallax(left);
  });

  it('pedestal up: content drifts down, near faster; pedestal down: up', () => {
    const up = motionOf('pedestal_up');
    expect(up.near.dv).toBeGreaterThan(0);
    expect(up.far.dv).toBeGreaterThan(0);
    expectParallax(up);
    const down = motionOf('pedestal_down');
    expect(down.near.dv).toBeLessThan(0);
    expectParallax(down);
  });

  it('static: nothing moves; hand-held: small jitter, no translation', () => {
    const still = motionOf('static');
    expect(speed(still.near)).toBe(0);
    expect(speed(still.far)).toBe(0);
    const shaky = motionOf('handheld');
    expect(speed(shaky.far)).toBeGreaterThan(0);
    expect(speed(shaky.far)).toBeLessThan(0.05 * timing.width);
    expectNoParallax(shaky);
  });

  it('arc right trucks right and pans left, keeping its subject centred', () => {
    const program = buildProgram(kind('arc_right'), 'medium', seededRandom(2), timing.durationSeconds);
    expect(program.primitives).toEqual(['Move_Right', 'Pan_Left']);
    const states = cameraStates(program, timing);
    for (const state of [states[0]!, states[40]!, states.at(-1)!]) {
      const subject = project(state, program.subject!)!;
      expect(subject.u).toBeCloseTo(state.intrinsics.cx, 6);
      expect(subject.v).toBeCloseTo(state.intrinsics.cy, 6);
    }
  });

  it('a dolly zoom keeps its subject the same size while moving out and zooming in', () => {
    const program = buildProgram(kind('dolly_zoom'), 'fast', seededRandom(3), timing.durationSeconds);
    expect(program.primitives).toEqual(['Move_Out', 'Zoom_In']);
    const states = cameraStates(program, timing);
    const size = (state: CameraState) => {
      const offset: Vec3 = [0.5, 0, 0];
      const centre = project(state, program.subject!)!;
      const side = project(state, add(program.subject!, offset))!;
      return Math.hypot(side.u - centre.u, side.v - centre.v);
    };
    expect(size(states.at(-1)!)).toBeCloseTo(size(states[0]!), 1);
    expect(subtract(states.at(-1)!.position, states[0]!.position)[1]).toBeLessThan(0);
  });
});

describe('labels', () => {
  it('gives each single-move program exactly its primitive, in Table-1 order for the first 15 clips', () => {
    const firstRound = PRIMITIVES.map((_, index) => programForClip(index, 7, timing).primitives);
    expect(firstRound).toEqual(PRIMITIVES.map((primitive: Primitive) => [primitive]));
  });

  it('labels combinations with each move, and shake with nothing (not Static)', () => {
    const none = { dolly: 0, truck: 0, pedestal: 0, pan: 0, tilt: 0, roll: 0, zoom: 1 };
    expect(labelsOf({ ...none, dolly: 1, pan: -10 }, false)).toEqual(['Move_In', 'Pan_Left']);
    expect(labelsOf(none, true)).toEqual([]);
    expect(labelsOf(none, false)).toEqual(['Static']);
    expect(labelsOf({ ...none, zoom: 0.5 }, false)).toEqual(['Zoom_Out']);
  });

  it('is deterministic and varies speed across rounds', () => {
    expect(programForClip(30, 5, timing)).toEqual(programForClip(30, 5, timing));
    const speeds = new Set([0, 1, 2].map((round) => programForClip(round * PROGRAM_KINDS.length, 5, timing).speed));
    expect(speeds.size).toBe(3);
  });
});
