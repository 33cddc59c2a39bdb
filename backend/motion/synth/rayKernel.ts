// The ray caster that draws synthetic clips, pixel by pixel. Hand-written because no
// maintained JS library renders a 3-D scene headless in Node without a GPU context
// (three.js needs WebGL; headless-gl and node-canvas-webgl are unmaintained native addons), and
// the scenes here are only planes and axis-aligned boxes, which a ray caster handles exactly
// and fast.
//
// Every function in this file is self-contained: no imports, no module-level values, only
// globals (Math, typed arrays) and the other functions here. renderPool.ts ships their source
// text to worker threads with `new Worker(code, { eval: true })`, which runs the same code
// from TypeScript sources under vitest, from the esbuild bundle of the CLI (code-split
// chunks) and from the benchmark bundle, with no separate worker entry to build or locate.
// Keep it that way: a reference to anything outside these functions breaks the workers.
//
// Packed scene (Float64Array): [seed, boxCount, then per box: minX, minY, minZ, maxX, maxY,
// maxZ, textureSeed, style]. Style 1: building or wall (windows), 2: crate (tiles and blobs),
// 3: pillar or subject (stripes and blobs). The ground is the plane Z = 0 (style 0) and the sky
// is at infinity. World axes: X right, Y forward, Z up (common/geometry/camera.ts).
//
// Packed camera (Float64Array, 16): camera-to-world rotation row-major (9), position (3),
// fx, fy, cx, cy.

/** A hash of integer cell coordinates and a seed, in [0, 1). */
export function hashCell(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1], one lattice cell per unit. */
export function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hashCell(ix, iy, seed);
  const b = hashCell(ix + 1, iy, seed);
  const c = hashCell(ix, iy + 1, seed);
  const d = hashCell(ix + 1, iy + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

/**
 * Brightness in [0, 1] of a surface point (s, t) in metres on a face. Detail finer than about
 * two pixels (`footprint` is the world size of one pixel there) fades to its mean instead of
 * aliasing, so far textures do not shimmer and optical flow sees stable corners.
 */
export function surfaceBrightness(s: number, t: number, seed: number, style: number, footprint: number): number {
  // Three octaves of value noise, 1 m to 4 m features (cells add the fine detail).
  let noise = 0;
  let weightSum = 0;
  let frequency = 0.25;
  let amplitude = 1;
  for (let octave = 0; octave < 3; octave++) {
    const fade = Math.min(1, Math.max(0, 1.5 - footprint * frequency * 3));
    noise += amplitude * (fade * valueNoise(s * frequency, t * frequency, seed + octave * 7919) + (1 - fade) * 0.5);
    weightSum += amplitude;
    frequency *= 2;
    amplitude *= 0.6;
  }
  noise /= weightSum;

  // Cells: tiles, windows or panels, each with its own shade, dark grout lines and a blob.
  const cellSize = style === 0 ? 1.2 : style === 1 ? 1.6 : style === 2 ? 0.45 : 0.3;
  const cs = s / cellSize;
  const ct = t / cellSize;
  const ix = Math.floor(cs);
  const iy = Math.floor(ct);
  const u = cs - ix;
  const v = ct - iy;
  const cellValue = hashCell(ix, iy, seed + 101);
  let detail = cellValue;
  if (style === 1) {
    // Windows: a dark or lit rectangle inside each cell.
    if (Math.abs(u - 0.5) < 0.28 && Math.abs(v - 0.5) < 0.33) detail = cellValue < 0.35 ? 0.95 : 0.05;
    else detail = 0.55 + 0.2 * cellValue;
  } else {
    const bx = 0.25 + 0.5 * hashCell(ix, iy, seed + 202);
    const by = 0.25 + 0.5 * hashCell(ix, iy, seed + 303);
    const radius = 0.12 + 0.18 * hashCell(ix, iy, seed + 404);
    const du = u - bx;
    const dv = v - by;
    if (du * du + dv * dv < radius * radius) detail = cellValue < 0.5 ? 1 : 0;
    if (style === 3 && iy % 2 === 0) detail = 1 - detail;
  }
  const edge = Math.min(u, 1 - u, v, 1 - v);
  if (edge < 0.05) detail = 0.08;
  const cellPixels = cellSize / footprint;
  const cellFade = Math.min(1, Math.max(0, (cellPixels - 2) / 5));
  detail = cellFade * detail + (1 - cellFade) * 0.5;
  return Math.min(1, Math.max(0, 0.5 + 1.35 * (0.4 * noise + 0.6 * detail - 0.5)));
}

/** Two colours per seed, a dark and a light one, written into palette at offset. */
export function fillPalette(seed: number, style: number, palette: Float64Array, offset: number): void {
  const hue = hashCell(seed, style, 17);
  const saturation = style === 0 ? 0.25 : 0.35 + 0.35 * hashCell(seed, style, 29);
  for (let index = 0; index < 2; index++) {
    const value = index === 0 ? 0.12 + 0.1 * hashCell(seed, 3, 31) : 0.82 + 0.15 * hashCell(seed, 5, 37);
    const h = (hue + index * 0.07) * 6;
    const sector = Math.floor(h) % 6;
    const f = h - Math.floor(h);
    const p = value * (1 - saturation);
    const q = value * (1 - saturation * f);
    const w = value * (1 - saturation * (1 - f));
    const r = sector === 0 || sector === 5 ? value : sector === 1 ? q : sector === 2 || sector === 3 ? p : w;
    const g = sector === 0 ? w : sector === 1 || sector === 2 ? value : sector === 3 ? q : p;
    const b = sector === 0 || sector === 1 ? p : sector === 2 ? w : sector === 3 || sector === 4 ? value : q;
    palette[offset + index * 3] = r;
    palette[offset + index * 3 + 1] = g;
    palette[offset + index * 3 + 2] = b;
  }
}

/**
 * Nearest hit along a ray from (ox, oy, oz) with direction (dx, dy, dz), among the boxes listed
 * in `boxes[first .. first + count)` (all boxes when `boxes` is null) and the ground. With
 * `depthBounds` (per box, a lower bound of t for any ray that hits it), the list must be sorted
 * by that bound: the search stops at the first box that cannot beat the best hit so far. Writes hit[0] = ray
 * parameter t (Infinity for the sky), hit[1] = box index (−1 ground, −2 sky), hit[2] = the face
 * hit: 0/1 = −X/+X, 2/3 = −Y/+Y, 4/5 = −Z/+Z.
 */
export function nearestHit(
  scene: Float64Array, boxes: Int32Array | null, first: number, count: number, depthBounds: Float64Array | null,
  ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, hit: Float64Array,
): void {
  let best = Infinity;
  let bestIndex = -2;
  let bestFace = 5;
  if (dz < 0) {
    best = -oz / dz;
    bestIndex = -1;
    bestFace = 5;
  }
  const ix = 1 / (Math.abs(dx) < 1e-12 ? 1e-12 : dx);
  const iy = 1 / (Math.abs(dy) < 1e-12 ? 1e-12 : dy);
  const iz = 1 / (Math.abs(dz) < 1e-12 ? 1e-12 : dz);
  const total = boxes === null ? scene[1]! : count;
  for (let k = 0; k < total; k++) {
    const index = boxes === null ? k : boxes[first + k]!;
    if (depthBounds !== null && depthBounds[index]! >= best) break;
    const o = 2 + index * 8;
    let t1 = (scene[o]! - ox) * ix;
    let t2 = (scene[o + 3]! - ox) * ix;
    let near = t1 < t2 ? t1 : t2;
    let far = t1 < t2 ? t2 : t1;
    let face = ix > 0 ? 0 : 1;
    t1 = (scene[o + 1]! - oy) * iy;
    t2 = (scene[o + 4]! - oy) * iy;
    let lo = t1 < t2 ? t1 : t2;
    let hi = t1 < t2 ? t2 : t1;
    if (lo > near) {
      near = lo;
      face = iy > 0 ? 2 : 3;
    }
    if (hi < far) far = hi;
    t1 = (scene[o + 2]! - oz) * iz;
    t2 = (scene[o + 5]! - oz) * iz;
    lo = t1 < t2 ? t1 : t2;
    hi = t1 < t2 ? t2 : t1;
    if (lo > near) {
      near = lo;
      face = iz > 0 ? 4 : 5;
    }
    if (hi < far) far = hi;
    if (near <= far && near > 1e-6 && near < best) {
      best = near;
      bestIndex = index;
      bestFace = face;
    }
  }
  hit[0] = best;
  hit[1] = bestIndex;
  hit[2] = bestFace;
}

/** The ray parameter of the first surface along a ray, with every box tested; Infinity for sky. */
export function traceScene(scene: Float64Array, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number): number {
  const hit = new Float64Array(3);
  nearestHit(scene, null, 0, 0, null, ox, oy, oz, dx, dy, dz, hit);
  return hit[0]!;
}

/**
 * Renders one RGB24 frame into `out` (width × height × 3 bytes). `depth`, when given, receives
 * each pixel's depth along the optical axis in metres (Infinity for sky): exact ground truth
 * for depth-aware analyzers, and how the tests check the tile culling against brute force.
 */
export function renderFrame(
  scene: Float64Array, camera: Float64Array, width: number, height: number, out: Uint8Array, depth: Float32Array | null,
): void {
  const r00 = camera[0]!, r01 = camera[1]!, r02 = camera[2]!;
  const r10 = camera[3]!, r11 = camera[4]!, r12 = camera[5]!;
  const r20 = camera[6]!, r21 = camera[7]!, r22 = camera[8]!;
  const px = camera[9]!, py = camera[10]!, pz = camera[11]!;
  const fx = camera[12]!, fy = camera[13]!, cx = camera[14]!, cy = camera[15]!;
  const boxCount = scene[1]!;
  const sceneSeed = scene[0]!;

  const palette = new Float64Array((boxCount + 1) * 6);
  fillPalette(sceneSeed, 0, palette, boxCount * 6);
  for (let index = 0; index < boxCount; index++) fillPalette(scene[2 + index * 8 + 6]!, scene[2 + index * 8 + 7]!, palette, index * 6);

  // Screen rectangle of each box, to test per 8×8 tile only the boxes that can cover it, nearest
  // first. Rays here have unit depth per unit t, so a box's smallest corner depth bounds t.
  const tileSize = 8;
  const tilesX = Math.ceil(width / tileSize);
  const tilesY = Math.ceil(height / tileSize);
  const rects = new Float64Array(boxCount * 4);
  const depthBounds = new Float64Array(boxCount);
  const corners = new Float64Array(24);
  const nearPlane = 1e-3;
  for (let index = 0; index < boxCount; index++) {
    const o = 2 + index * 8;
    for (let corner = 0; corner < 8; corner++) {
      const wx = scene[o + (corner & 1 ? 3 : 0)]! - px;
      const wy = scene[o + 1 + (corner & 2 ? 3 : 0)]! - py;
      const wz = scene[o + 2 + (corner & 4 ? 3 : 0)]! - pz;
      // worldToCamera = cameraToWorldᵀ
      corners[corner * 3] = r00 * wx + r10 * wy + r20 * wz;
      corners[corner * 3 + 1] = r01 * wx + r11 * wy + r21 * wz;
      corners[corner * 3 + 2] = r02 * wx + r12 * wy + r22 * wz;
    }
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity, minDepth = Infinity;
    // The part of the box in front of the camera: corners in front, plus where edges cross the
    // near plane. Its projection bounds the box's pixels; boxes wholly behind get none.
    for (let corner = 0; corner < 8; corner++) {
      const z = corners[corner * 3 + 2]!;
      if (z >= nearPlane) {
        const u = cx + (fx * corners[corner * 3]!) / z;
        const v = cy + (fy * corners[corner * 3 + 1]!) / z;
        if (u < minU) minU = u;
        if (u > maxU) maxU = u;
        if (v < minV) minV = v;
        if (v > maxV) maxV = v;
        if (z < minDepth) minDepth = z;
      }
      for (let bit = 1; bit < 8; bit <<= 1) {
        const other = corner | bit;
        if (other === corner) continue;
        const z2 = corners[other * 3 + 2]!;
        if ((z < nearPlane) === (z2 < nearPlane)) continue;
        const f = (nearPlane - z) / (z2 - z);
        const x = corners[corner * 3]! + f * (corners[other * 3]! - corners[corner * 3]!);
        const y = corners[corner * 3 + 1]! + f * (corners[other * 3 + 1]! - corners[corner * 3 + 1]!);
        const u = cx + (fx * x) / nearPlane;
        const v = cy + (fy * y) / nearPlane;
        if (u < minU) minU = u;
        if (u > maxU) maxU = u;
        if (v < minV) minV = v;
        if (v > maxV) maxV = v;
        minDepth = nearPlane;
      }
    }
    rects[index * 4] = minU;
    rects[index * 4 + 1] = maxU;
    rects[index * 4 + 2] = minV;
    rects[index * 4 + 3] = maxV;
    depthBounds[index] = minDepth;
  }
  const tileBoxes = new Int32Array(tilesX * tilesY * Math.max(1, boxCount));
  const tileCounts = new Int32Array(tilesX * tilesY);
  for (let tile = 0; tile < tilesX * tilesY; tile++) {
    const u0 = (tile % tilesX) * tileSize;
    const v0 = Math.floor(tile / tilesX) * tileSize;
    let count = 0;
    for (let index = 0; index < boxCount; index++) {
      if (rects[index * 4 + 1]! < u0 || rects[index * 4]! > u0 + tileSize || rects[index * 4 + 3]! < v0 || rects[index * 4 + 2]! > v0 + tileSize) continue;
      // Insertion sort by depth bound: lists are short (tens of boxes).
      let position = tile * boxCount + count++;
      while (position > tile * boxCount && depthBounds[tileBoxes[position - 1]!]! > depthBounds[index]!) {
        tileBoxes[position] = tileBoxes[position - 1]!;
        position--;
      }
      tileBoxes[position] = index;
    }
    tileCounts[tile] = count;
  }

  const hit = new Float64Array(3);
  const pixelAngle = 2 / (fx + fy);
  for (let j = 0; j < height; j++) {
    const yc = (j + 0.5 - cy) / fy;
    for (let i = 0; i < width; i++) {
      const xc = (i + 0.5 - cx) / fx;
      const dx = r00 * xc + r01 * yc + r02;
      const dy = r10 * xc + r11 * yc + r12;
      const dz = r20 * xc + r21 * yc + r22;
      const tile = Math.floor(j / tileSize) * tilesX + Math.floor(i / tileSize);
      nearestHit(scene, tileBoxes, tile * boxCount, tileCounts[tile]!, depthBounds, px, py, pz, dx, dy, dz, hit);
      const t = hit[0]!;
      const index = hit[1]!;
      const face = hit[2]!;
      if (depth !== null) depth[j * width + i] = t;
      const rayLength = Math.sqrt(dx * dx + dy * dy + dz * dz);
      let red: number, green: number, blue: number;
      if (index === -2) {
        // Sky at infinity: a gradient with clouds keyed by direction only, so translation
        // leaves it in place and rotation moves it like the far background.
        const elevation = dz / rayLength;
        const lift = Math.max(elevation, 0) + 0.25;
        const su = (dx / rayLength) / lift;
        const sv = (dy / rayLength) / lift;
        const footprint = (pixelAngle * 3) / lift;
        const fade = Math.min(1, Math.max(0, 1.5 - footprint * 6));
        const cloud = 0.6 * valueNoise(su * 3, sv * 3, sceneSeed + 5) + 0.4 * (fade * valueNoise(su * 12, sv * 12, sceneSeed + 6) + (1 - fade) * 0.5);
        const cover = Math.min(1, Math.max(0, (cloud - 0.45) * 3.5));
        const height01 = Math.min(1, Math.max(0, elevation * 2.5));
        red = (0.78 - 0.45 * height01) * (1 - cover) + 0.97 * cover;
        green = (0.84 - 0.32 * height01) * (1 - cover) + 0.97 * cover;
        blue = (0.92 - 0.1 * height01) * (1 - cover) + 0.99 * cover;
      } else {
        const hx = px + t * dx;
        const hy = py + t * dy;
        const hz = pz + t * dz;
        const axis = face >> 1;
        const s = axis === 0 ? hy : hx;
        const tt = axis === 2 ? hy : hz;
        const normalComponent = Math.abs(axis === 0 ? dx : axis === 1 ? dy : dz) / rayLength;
        const distance = t * rayLength;
        const footprint = (distance * pixelAngle) / Math.max(normalComponent, 0.12);
        const style = index === -1 ? 0 : scene[2 + index * 8 + 7]!;
        const seed = index === -1 ? sceneSeed : scene[2 + index * 8 + 6]!;
        const brightness = surfaceBrightness(s, tt, seed + face * 131, style, footprint);
        const p = (index === -1 ? boxCount : index) * 6;
        // Faces facing up are lit most, so box edges stay visible where textures match.
        const light = face === 5 ? 1 : face === 4 ? 0.55 : axis === 0 ? (face === 0 ? 0.9 : 0.75) : face === 2 ? 0.8 : 0.65;
        const fog = Math.exp(-distance / 110);
        const base = 1 - brightness;
        red = (palette[p]! * base + palette[p + 3]! * brightness) * light * fog + 0.78 * (1 - fog);
        green = (palette[p + 1]! * base + palette[p + 4]! * brightness) * light * fog + 0.84 * (1 - fog);
        blue = (palette[p + 2]! * base + palette[p + 5]! * brightness) * light * fog + 0.92 * (1 - fog);
      }
      const o = (j * width + i) * 3;
      out[o] = red <= 0 ? 0 : red >= 1 ? 255 : Math.round(red * 255);
      out[o + 1] = green <= 0 ? 0 : green >= 1 ? 255 : Math.round(green * 255);
      out[o + 2] = blue <= 0 ? 0 : blue >= 1 ? 255 : Math.round(blue * 255);
    }
  }
}

/** The source text of the kernel, for worker threads; see the note at the top of the file. */
export function kernelSource(): string {
  return [hashCell, valueNoise, surfaceBrightness, fillPalette, nearestHit, traceScene, renderFrame]
    .map((fn) => fn.toString())
    .join('\n');
}
