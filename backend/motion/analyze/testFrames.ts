// In-memory test clips for the tracker: a procedural texture seen through known homographies
// (rotation and zoom: one warp for every pixel), and a two-layer composite whose near layer
// moves faster than the far one (translation: parallax). Test helper, not shipped code.
import { applyHomography, inverse, type Matrix3, type Point } from '../../../common/motion/geometry';
import { valueNoise } from '../synth/rayKernel';

/** Smooth value noise over the plane, several octaves: corners everywhere, no repeating pattern. */
export function proceduralTexture(seed: number): (x: number, y: number) => number {
  // The renderer's value noise (backend/motion/synth/rayKernel.ts), three octaves.
  return (x, y) => {
    const value = 0.5 * valueNoise(x / 9, y / 9, seed) + 0.3 * valueNoise(x / 4 + 50, y / 4 + 50, seed) + 0.2 * valueNoise(x / 2 + 90, y / 2 + 90, seed);
    return Math.max(0, Math.min(255, Math.round(value * 255)));
  };
}

/** Frame k shows the texture through `homographyAt(k)` (first-frame pixels → frame-k pixels). */
export function warpedClip(
  homographyAt: (frame: number) => Matrix3,
  options: { count: number; width: number; height: number; seed?: number },
): Uint8Array[] {
  const texture = proceduralTexture(options.seed ?? 3);
  return Array.from({ length: options.count }, (_, frame) => {
    const back = inverse(homographyAt(frame));
    const pixels = new Uint8Array(options.width * options.height);
    for (let v = 0; v < options.height; v += 1) {
      for (let u = 0; u < options.width; u += 1) {
        const source = applyHomography(back, { x: u + 0.5, y: v + 0.5 });
        pixels[v * options.width + u] = texture(source.x, source.y);
      }
    }
    return pixels;
  });
}

/**
 * Two textured layers: the far one moves by `far(k)`, the near one — vertical panels covering
 * about 40 % of the frame — by `near(k)`, both as maps from frame-k pixels back to the layer's
 * own coordinates. Near faster than far is what translation looks like.
 */
export function layeredClip(
  far: (frame: number, point: Point) => Point,
  near: (frame: number, point: Point) => Point,
  options: { count: number; width: number; height: number },
): Uint8Array[] {
  const background = proceduralTexture(5);
  const foreground = proceduralTexture(11);
  const panelWidth = options.width / 10;
  const isPanel = (x: number) => ((Math.floor(x / panelWidth) % 5) + 5) % 5 < 2;
  return Array.from({ length: options.count }, (_, frame) => {
    const pixels = new Uint8Array(options.width * options.height);
    for (let v = 0; v < options.height; v += 1) {
      for (let u = 0; u < options.width; u += 1) {
        const point = { x: u + 0.5, y: v + 0.5 };
        const nearPoint = near(frame, point);
        const value = isPanel(nearPoint.x) ? foreground(nearPoint.x, nearPoint.y) : background(far(frame, point).x, far(frame, point).y);
        pixels[v * options.width + u] = value;
      }
    }
    return pixels;
  });
}
