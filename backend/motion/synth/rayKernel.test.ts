import { describe, expect, it } from 'vitest';
import { rayDirection } from '../../../common/geometry/camera';
import { kernelSource, traceScene } from './rayKernel';
import { packCamera, renderFrameHere } from './renderPool';
import { planClip } from './synthesize';

const timing = { width: 80, height: 48, fps: 8, durationSeconds: 1 };

describe('ray kernel', () => {
  it('finds the same nearest surface with tile culling as a brute-force trace of every box', () => {
    // Dolly out (boxes behind the camera), truck, pan, roll, arc: cameras crossing box planes.
    for (const index of [1, 5, 9, 13, 17]) {
      const clip = planClip(index, 21, timing);
      for (const state of [clip.states[0]!, clip.states.at(-1)!]) {
        const depth = new Float32Array(timing.width * timing.height);
        renderFrameHere(clip.scene, packCamera(state), timing.width, timing.height, depth);
        for (let v = 0; v < timing.height; v++) {
          for (let u = 0; u < timing.width; u++) {
            const direction = rayDirection(state, u + 0.5, v + 0.5);
            const expected = traceScene(clip.scene, ...state.position, ...direction);
            const actual = depth[v * timing.width + u]!;
            if (!Number.isFinite(expected)) expect(actual, `${clip.name} (${u}, ${v})`).toBe(Infinity);
            else expect(Math.abs(actual - expected), `${clip.name} (${u}, ${v})`).toBeLessThan(1e-4 * expected);
          }
        }
      }
    }
  });

  it('is self-contained, so its source runs in a worker', () => {
    // Evaluating the source alone must define renderFrame without reaching for anything else.
    const factory = new Function(`${kernelSource()}\nreturn renderFrame;`) as () => unknown;
    expect(typeof factory()).toBe('function');
  });
});
