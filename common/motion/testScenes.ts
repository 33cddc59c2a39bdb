// Synthetic correspondences for tests: points at random depths seen by a pinhole camera before
// and after a known motion. Runtime-free so tests in common/ and backend/ share it.
import { seededRandom } from '../random';
import { cameraModel, rotationMatrix, transpose, type CameraModel, type Correspondence, type Matrix3 } from './geometry';

export interface KnownMotion {
  /** Degrees. */
  pan?: number;
  tilt?: number;
  roll?: number;
  zoom?: number;
  /** Camera travel in the first camera's frame (x right, y down, z forward), metres. */
  travel?: { x: number; y: number; z: number };
}

export function syntheticCorrespondences(
  motion: KnownMotion,
  options: {
    count?: number;
    nearDepth?: number;
    farDepth?: number;
    /** Depth falls from far at the top of the frame to near at the bottom (±10 %), as over a ground plane; else random. */
    isGroundLike?: boolean;
    noisePixels?: number;
    seed?: number;
    camera?: CameraModel;
  } = {},
): { camera: CameraModel; correspondences: Correspondence[] } {
  const camera = options.camera ?? cameraModel(320, 180);
  const random = seededRandom(options.seed ?? 7);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const radians = (degrees = 0) => (degrees * Math.PI) / 180;
  const rotation: Matrix3 = rotationMatrix(radians(motion.pan), radians(motion.tilt), radians(motion.roll));
  const inverse = transpose(rotation);
  const travel = motion.travel ?? { x: 0, y: 0, z: 0 };
  const near = options.nearDepth ?? 2;
  const far = options.farDepth ?? 10;
  const noise = options.noisePixels ?? 0.1;
  const correspondences: Correspondence[] = [];
  while (correspondences.length < (options.count ?? 200)) {
    const u = (0.05 + 0.9 * random()) * camera.width;
    const v = (0.05 + 0.9 * random()) * camera.height;
    const depth = options.isGroundLike === true
      ? (far - (far - near) * (v / camera.height)) * (0.9 + 0.2 * random())
      : near + (far - near) * random();
    const point = [((u - camera.centerX) / camera.focal) * depth, ((v - camera.centerY) / camera.focal) * depth, depth];
    const shifted = [point[0]! - travel.x, point[1]! - travel.y, point[2]! - travel.z];
    const seen = [0, 1, 2].map((row) => inverse[row * 3]! * shifted[0]! + inverse[row * 3 + 1]! * shifted[1]! + inverse[row * 3 + 2]! * shifted[2]!);
    if (seen[2]! <= 0.1) continue;
    const focal = camera.focal * (motion.zoom ?? 1);
    const to = { x: (seen[0]! / seen[2]!) * focal + camera.centerX + noise * gaussian(), y: (seen[1]! / seen[2]!) * focal + camera.centerY + noise * gaussian() };
    correspondences.push({ from: { x: u, y: v }, to });
  }
  return { camera, correspondences };
}
