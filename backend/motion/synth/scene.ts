// A deterministic street-like scene around the camera path: ground, a far back wall, rows of
// buildings on both sides, crates and pillars at every depth from about 2 m to 35 m. Depth
// variety is the point: parallax (near moving faster than far) is what tells translation from
// rotation and zoom, so every clip needs near, middle and far surfaces in view.
import type { Vec3 } from '../../../common/geometry/camera';
import { between, deriveSeed, seededRandom, type Random } from '../../../common/random';

export type BoxStyle = 'building' | 'crate' | 'pillar';

const STYLE_CODE: Record<BoxStyle, number> = { building: 1, crate: 2, pillar: 3 };

export interface SceneBox {
  min: Vec3;
  max: Vec3;
  style: BoxStyle;
  textureSeed: number;
}

export interface Scene {
  seed: number;
  boxes: SceneBox[];
}

export interface SceneOptions {
  seed: number;
  /** Every camera position of the clip: no box may come closer than CLEARANCE to it. */
  cameraPath: readonly Vec3[];
  /** The camera's initial heading in degrees (the scene is laid out along it). */
  yawDegrees: number;
  /** A subject the program keeps framed; a pillar is put there. */
  subject: Vec3 | null;
}

const CLEARANCE = 0.6;

export function buildScene({ seed, cameraPath, yawDegrees, subject }: SceneOptions): Scene {
  const random = seededRandom(deriveSeed(seed, 'scene'));
  const boxes: SceneBox[] = [];
  const yaw = (yawDegrees * Math.PI) / 180;
  const origin = cameraPath[0] ?? [0, 0, 1.6];
  // Lay objects out in the camera's initial frame (across, along), then place them in the world.
  const place = (across: number, along: number): [number, number] => [
    origin[0] + across * Math.cos(yaw) + along * Math.sin(yaw),
    origin[1] - across * Math.sin(yaw) + along * Math.cos(yaw),
  ];
  const add = (across: number, along: number, width: number, depth: number, height: number, style: BoxStyle, base = 0) => {
    const [x, y] = place(across, along);
    const box: SceneBox = {
      min: [x - width / 2, y - depth / 2, base],
      max: [x + width / 2, y + depth / 2, base + height],
      style,
      textureSeed: Math.floor(random() * 0xffffffff),
    };
    if (!isClear(box, cameraPath)) return;
    // A subject the camera keeps framed must stay in view: nothing between it and the camera.
    if (subject && cameraPath.some((position) => crossesSegment(box, position, subject))) return;
    boxes.push(box);
  };

  // Far back wall, about 40 m ahead, wide enough for a fast pan.
  add(0, between(random, 38, 44), 140, 2, between(random, 14, 24), 'building');
  // Rows of buildings on both sides, from behind the camera (seen when it dollies out) to the wall.
  for (const side of [-1, 1]) {
    let along = -30;
    while (along < 40) {
      const depth = between(random, 4, 11);
      const setback = between(random, 8, 14);
      const width = between(random, 4, 10);
      add(side * (setback + width / 2), along + depth / 2, width, depth, between(random, 4, 16), 'building');
      along += depth + between(random, 0, 2.5);
    }
  }
  // Crates and pillars at middle distances.
  for (let index = 0; index < 16; index++) {
    const along = between(random, 6, 34);
    const across = between(random, -7, 7);
    if (random() < 0.5) add(across, along, between(random, 0.8, 3), between(random, 0.8, 3), between(random, 0.6, 3.5), 'crate');
    else add(across, along, between(random, 0.3, 0.8), between(random, 0.3, 0.8), between(random, 2, 6), 'pillar');
  }
  // Near objects, 2 m to 5 m ahead, off the optical axis so they frame rather than block the view.
  for (let index = 0; index < 6; index++) {
    const along = between(random, 2, 5);
    const side = index % 2 === 0 ? -1 : 1;
    const across = side * between(random, 0.7, 2.4);
    if (random() < 0.5) add(across, along, between(random, 0.4, 1.0), between(random, 0.4, 1.0), between(random, 0.5, 1.4), 'crate');
    else add(across, along, between(random, 0.15, 0.35), between(random, 0.15, 0.35), between(random, 1.8, 3.5), 'pillar');
  }
  // Objects behind the start, for clips that move back.
  for (let index = 0; index < 4; index++) addBehind(random, add);
  if (subject) {
    const box: SceneBox = {
      min: [subject[0] - 0.35, subject[1] - 0.35, 0],
      max: [subject[0] + 0.35, subject[1] + 0.35, subject[2] + 0.9],
      style: 'pillar',
      textureSeed: Math.floor(random() * 0xffffffff),
    };
    if (isClear(box, cameraPath)) boxes.push(box);
  }
  return { seed: deriveSeed(seed, 'texture'), boxes };
}

function addBehind(random: Random, add: (across: number, along: number, width: number, depth: number, height: number, style: BoxStyle) => void): void {
  add(between(random, -5, 5), between(random, -9, -2), between(random, 0.5, 2), between(random, 0.5, 2), between(random, 0.8, 3), 'crate');
}

/** True when no camera position is within CLEARANCE of the box. */
function isClear(box: SceneBox, path: readonly Vec3[]): boolean {
  return path.every((position) => {
    const dx = Math.max(box.min[0] - position[0], 0, position[0] - box.max[0]);
    const dy = Math.max(box.min[1] - position[1], 0, position[1] - box.max[1]);
    const dz = Math.max(box.min[2] - position[2], 0, position[2] - box.max[2]);
    return dx * dx + dy * dy + dz * dz > CLEARANCE * CLEARANCE;
  });
}

/** True when the segment from `from` to `to` passes through the box (slab test). */
function crossesSegment(box: SceneBox, from: Vec3, to: Vec3): boolean {
  let enter = 0;
  let exit = 1;
  for (let axis = 0; axis < 3; axis++) {
    const start = from[axis]!;
    const delta = to[axis]! - start;
    if (Math.abs(delta) < 1e-12) {
      if (start < box.min[axis]! || start > box.max[axis]!) return false;
      continue;
    }
    const t1 = (box.min[axis]! - start) / delta;
    const t2 = (box.max[axis]! - start) / delta;
    enter = Math.max(enter, Math.min(t1, t2));
    exit = Math.min(exit, Math.max(t1, t2));
    if (enter > exit) return false;
  }
  return true;
}

/** The packed form the ray kernel reads (rayKernel.ts). */
export function packScene(scene: Scene): Float64Array {
  const packed = new Float64Array(2 + scene.boxes.length * 8);
  packed[0] = scene.seed;
  packed[1] = scene.boxes.length;
  scene.boxes.forEach((box, index) => {
    packed.set([...box.min, ...box.max, box.textureSeed, STYLE_CODE[box.style]], 2 + index * 8);
  });
  return packed;
}
