import { describe, expect, it } from 'vitest';
import { length, rayDirection, subtract } from '../../../common/geometry/camera';
import { PROGRAM_KINDS } from './programs';
import { traceScene } from './rayKernel';
import { buildScene } from './scene';
import { planClip } from './synthesize';

const timing = { width: 96, height: 64, fps: 8, durationSeconds: 1 };
const indexOf = (kind: string) => PROGRAM_KINDS.findIndex((candidate) => candidate.kind === kind);

describe('scene', () => {
  it('keeps a framed subject in view: it is the first surface at the centre of every frame', () => {
    for (const kind of ['arc_right', 'arc_left', 'pedestal_up_tilt_down', 'dolly_zoom']) {
      for (const seed of [1, 2, 3]) {
        const clip = planClip(indexOf(kind), seed, timing);
        const subject = clip.program.subject!;
        for (const state of clip.states) {
          const direction = rayDirection(state, state.intrinsics.cx, state.intrinsics.cy);
          const hit = traceScene(clip.scene, ...state.position, ...direction);
          const distance = length(subtract(subject, state.position));
          // The subject pillar is 0.7 m wide: its near face is within half of that of its centre.
          expect(hit, `${clip.name}`).toBeGreaterThan(distance - 0.5);
          expect(hit, `${clip.name}`).toBeLessThan(distance);
        }
      }
    }
  });

  it('never puts a box within reach of the camera path, and is deterministic', () => {
    const path = [[0, 0, 1.6], [0, 3, 1.6]] as const;
    const scene = buildScene({ seed: 5, cameraPath: path, yawDegrees: 0, subject: null });
    expect(buildScene({ seed: 5, cameraPath: path, yawDegrees: 0, subject: null })).toEqual(scene);
    expect(scene.boxes.length).toBeGreaterThan(20);
    for (const box of scene.boxes) {
      for (const position of path) {
        const inside = position.every((value, axis) => value > box.min[axis]! - 0.5 && value < box.max[axis]! + 0.5);
        expect(inside).toBe(false);
      }
    }
  });
});
