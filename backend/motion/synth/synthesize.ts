// Synthetic clips with exact ground truth (issue #3, part 2): for each clip a motion program,
// a scene around its path, per-frame cameras, rendered frames encoded to H.264, a ground-truth
// JSON file and dataset records in every format Frustum imports. Same seed and options give
// byte-identical JSON (the mp4 bytes depend on the encoder build).
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PRIMITIVES } from '../../../common/camerabench/primitives';
import { UsageError } from '../../../common/errors';
import { pyDumps, type PyJsonValue } from '../../../common/formats/pyjson';
import { apply, radiansToDegrees, worldToCameraRotation, type CameraState } from '../../../common/geometry/camera';
import { resolveFfmpeg } from '../../media/ffmpeg';
import { startEncoder } from './encode';
import { measureMotion, type MotionFacts } from './motionFacts';
import { cameraStates, frameCount, programForClip, type ClipTiming, type MotionProgram } from './programs';
import { deriveSeed } from '../../../common/random';
import { createRenderPool, packCamera } from './renderPool';
import { datasetRecords, labelOf } from './records';
import { buildScene, packScene } from './scene';

export const GENERATOR = 'frustum-synth';
export const GROUND_TRUTH_VERSION = 1;

export const DEFAULTS = { width: 480, height: 272, fps: 25, durationSeconds: 3 } as const;

export interface SynthOptions {
  out: string;
  count: number;
  seed: number;
  width?: number;
  height?: number;
  fps?: number;
  durationSeconds?: number;
  /** Render threads; default os.availableParallelism(); 0 renders on the calling thread. */
  workers?: number;
  /** Write ground truth and records only, no mp4 (fast; for tests and dry runs). */
  skipVideo?: boolean;
  signal?: AbortSignal;
  /** Frames rendered and encoded so far, of all clips' frames. */
  onProgress?: (done: number, total: number) => void;
}

export interface SynthClip {
  name: string;
  /** Paths relative to the output folder. */
  clip: string;
  groundTruth: string;
  program: MotionProgram;
  facts: MotionFacts;
}

export interface SynthReport {
  out: string;
  clips: SynthClip[];
  frames: number;
  files: { questions: string; sft: string; rl: string; manifest: string; cameraBench: string[] };
  elapsedMs: number;
}

/** A clip's whole plan, computed before anything is rendered. */
interface PlannedClip extends SynthClip {
  states: CameraState[];
  scene: Float64Array;
}

export function clipName(index: number, program: MotionProgram): string {
  return `${String(index).padStart(4, '0')}_${program.name}`;
}

export function planClip(index: number, seed: number, timing: ClipTiming): PlannedClip {
  const program = programForClip(index, seed, timing);
  const states = cameraStates(program, timing);
  const scene = packScene(
    buildScene({
      seed: deriveSeed(seed, 'clip', index),
      cameraPath: states.map((state) => state.position),
      yawDegrees: program.start.yawDegrees,
      subject: program.subject,
    }),
  );
  const name = clipName(index, program);
  return {
    name,
    clip: `clips/${name}.mp4`,
    groundTruth: `ground_truth/${name}.json`,
    program,
    facts: measureMotion(scene, states, timing.fps),
    states,
    scene,
  };
}

function validated(options: SynthOptions): ClipTiming & { count: number; seed: number } {
  const width = options.width ?? DEFAULTS.width;
  const height = options.height ?? DEFAULTS.height;
  const fps = options.fps ?? DEFAULTS.fps;
  const durationSeconds = options.durationSeconds ?? DEFAULTS.durationSeconds;
  const problems: string[] = [];
  if (!Number.isInteger(options.count) || options.count < 1) problems.push(`count must be a whole number ≥ 1, got ${options.count}`);
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) problems.push(`seed must be a whole number from 0 to 4294967295, got ${options.seed}`);
  for (const [label, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 16 || value > 4096 || value % 2 !== 0) problems.push(`${label} must be an even whole number from 16 to 4096 (H.264 yuv420p), got ${value}`);
  }
  if (!(fps > 0 && fps <= 120)) problems.push(`fps must be between 0 and 120, got ${fps}`);
  if (!(durationSeconds > 0 && durationSeconds <= 60)) problems.push(`duration must be between 0 and 60 seconds, got ${durationSeconds}`);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { width, height, fps, durationSeconds, count: options.count, seed: options.seed };
}

export async function synthesize(options: SynthOptions): Promise<SynthReport> {
  const started = performance.now();
  const { count, seed, ...timing } = validated(options);
  const { out, signal } = options;
  signal?.throwIfAborted();
  for (const folder of ['clips', 'ground_truth', 'camerabench']) await mkdir(join(out, folder), { recursive: true });

  const planned: PlannedClip[] = [];
  for (let index = 0; index < count; index++) {
    signal?.throwIfAborted();
    planned.push(planClip(index, seed, timing));
  }
  const framesPerClip = frameCount(timing);
  const totalFrames = framesPerClip * count;
  let framesDone = 0;
  options.onProgress?.(0, totalFrames);

  for (const clip of planned) {
    await writeFile(join(out, clip.groundTruth), pyDumps(groundTruthOf(clip, timing), { indent: 2, ensureAscii: false }) + '\n');
  }

  if (!options.skipVideo) {
    const ffmpegPath = (await resolveFfmpeg()).ffmpeg.path;
    const pool = createRenderPool(options.workers);
    const concurrency = Math.max(1, options.workers ?? availableParallelism());
    try {
      let next = 0;
      const runner = async () => {
        while (next < planned.length) {
          const clip = planned[next++]!;
          await renderClip(clip);
        }
      };
      const renderClip = async (clip: PlannedClip) => {
        signal?.throwIfAborted();
        const encoder = startEncoder({ output: join(out, clip.clip), width: timing.width, height: timing.height, fps: timing.fps, ffmpegPath });
        try {
          await pool.renderClip(
            { scene: clip.scene, cameras: clip.states.map(packCamera), width: timing.width, height: timing.height },
            async (pixels) => {
              await encoder.write(pixels);
              options.onProgress?.(++framesDone, totalFrames);
            },
            signal,
          );
          await encoder.finish();
        } catch (error) {
          await encoder.abort();
          throw error;
        }
      };
      // One failing clip stops the others: allSettled first so no encoder is left running.
      const results = await Promise.allSettled(Array.from({ length: Math.min(concurrency, planned.length) }, runner));
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      await pool.close();
    }
  }
  signal?.throwIfAborted();

  // Records last, so a cancelled run never leaves records that point at clips not written.
  const records = datasetRecords(planned.map((clip) => ({ clipPath: clip.clip, program: clip.program, facts: clip.facts })));
  const style = { indent: 2, ensureAscii: false } as const;
  const files = {
    questions: 'questions.json',
    sft: 'sft.json',
    rl: 'rl.json',
    manifest: 'manifest.json',
    cameraBench: PRIMITIVES.map((primitive) => `camerabench/${primitive}.jsonl`),
  };
  await writeFile(join(out, files.questions), pyDumps(records.questions, style) + '\n');
  await writeFile(join(out, files.sft), pyDumps(records.sft, style) + '\n');
  await writeFile(join(out, files.rl), pyDumps(records.rl, style) + '\n');
  for (const primitive of PRIMITIVES) {
    const lines = records.cameraBench[primitive].map((record) => pyDumps(record) + '\n');
    await writeFile(join(out, `camerabench/${primitive}.jsonl`), lines.join(''));
  }
  await writeFile(join(out, files.manifest), pyDumps(manifestOf(planned, { count, seed, ...timing }, options.skipVideo === true), style) + '\n');

  return {
    out,
    clips: planned.map(({ name, clip, groundTruth, program, facts }) => ({ name, clip, groundTruth, program, facts })),
    frames: options.skipVideo ? 0 : totalFrames,
    files,
    elapsedMs: performance.now() - started,
  };
}

/** Fixed decimals keep files short and identical across runs; −0 is written as 0. */
function fixed(value: number, digits: number): number {
  const rounded = Number(value.toFixed(digits));
  return rounded === 0 ? 0 : rounded;
}

function programJson(program: MotionProgram): PyJsonValue {
  return {
    kind: program.kind,
    name: program.name,
    description: program.description,
    speed: program.speed,
    easing: program.easing,
    coupling: program.coupling,
    amounts: {
      dollyMetres: fixed(program.amounts.dolly, 6),
      truckMetres: fixed(program.amounts.truck, 6),
      pedestalMetres: fixed(program.amounts.pedestal, 6),
      panDegrees: fixed(program.amounts.pan, 6),
      tiltDegrees: fixed(program.amounts.tilt, 6),
      rollDegrees: fixed(program.amounts.roll, 6),
      zoomFactor: fixed(program.amounts.zoom, 6),
    },
    subject: program.subject ? program.subject.map((value) => fixed(value, 6)) : null,
    start: {
      position: program.start.position.map((value) => fixed(value, 6)),
      yawDegrees: fixed(program.start.yawDegrees, 6),
      pitchDegrees: fixed(program.start.pitchDegrees, 6),
      rollDegrees: fixed(program.start.rollDegrees, 6),
      horizontalFovDegrees: fixed(program.start.horizontalFovDegrees, 6),
    },
    shake: program.shake.map((component) => ({
      axis: component.axis,
      frequencyHz: fixed(component.frequencyHz, 6),
      phase: fixed(component.phase, 6),
      amplitudeDegrees: fixed(component.amplitudeDegrees, 6),
    })),
    primitives: program.primitives,
  };
}

function factsJson(facts: MotionFacts): PyJsonValue {
  const round = (value: number | null) => (value === null ? null : fixed(value, 4));
  return {
    units: 'drift, parallax speeds: % of frame width per second; expansion: % per second; rotation: degrees per second, > 0 clockwise on screen',
    movingFrames: facts.movingFrames ? [...facts.movingFrames] : null,
    drift: { x: round(facts.drift.x), y: round(facts.drift.y) },
    expansion: round(facts.expansion),
    rotation: round(facts.rotation),
    excursion: { translation: round(facts.excursion.translation), rotation: round(facts.excursion.rotation) },
    netShift: round(facts.netShift),
    parallax: {
      nearDepth: round(facts.parallax.nearDepth),
      farDepth: round(facts.parallax.farDepth),
      nearSpeed: round(facts.parallax.nearSpeed),
      farSpeed: round(facts.parallax.farSpeed),
      nearSlide: { x: round(facts.parallax.nearSlide.x), y: round(facts.parallax.nearSlide.y) },
      nearSpread: round(facts.parallax.nearSpread),
    },
    maxStepPixels: round(facts.maxStepPixels),
  };
}

export function groundTruthOf(clip: SynthClip & { states: readonly CameraState[] }, timing: ClipTiming): PyJsonValue {
  return {
    generator: GENERATOR,
    version: GROUND_TRUTH_VERSION,
    name: clip.name,
    clip: clip.clip,
    conventions:
      'World: metres, X right, Y forward, Z up, ground Z = 0. Camera (OpenCV): x right, y down, z forward. ' +
      'rotation is world-to-camera (row-major), p_camera = rotation · (P_world − position) = rotation · P_world + translation. ' +
      'Pixel centres at (i + 0.5, j + 0.5). cameraToWorld = Rz(−yaw) · LEVEL · Rx(pitch) · Rz(roll); yaw > 0 pans right, ' +
      'pitch > 0 tilts up, roll > 0 rolls clockwise (seen from behind the camera). See common/geometry/camera.ts.',
    width: timing.width,
    height: timing.height,
    fps: timing.fps,
    durationSeconds: timing.durationSeconds,
    frameCount: clip.states.length,
    program: programJson(clip.program),
    labels: Object.fromEntries(PRIMITIVES.map((primitive) => [primitive, labelOf(clip.program, primitive)])),
    facts: factsJson(clip.facts),
    frames: clip.states.map((state, index) => {
      const rotation = worldToCameraRotation(state);
      const translation = apply(rotation, state.position).map((value) => -value);
      return {
        index,
        time: fixed(index / timing.fps, 6),
        intrinsics: {
          fx: fixed(state.intrinsics.fx, 6),
          fy: fixed(state.intrinsics.fy, 6),
          cx: fixed(state.intrinsics.cx, 6),
          cy: fixed(state.intrinsics.cy, 6),
        },
        extrinsics: {
          position: state.position.map((value) => fixed(value, 6)),
          yawDegrees: fixed(radiansToDegrees(state.yaw), 6),
          pitchDegrees: fixed(radiansToDegrees(state.pitch), 6),
          rollDegrees: fixed(radiansToDegrees(state.roll), 6),
          rotation: [0, 1, 2].map((row) => [0, 1, 2].map((column) => fixed(rotation[row * 3 + column]!, 9))),
          translation: translation.map((value) => fixed(value, 6)),
        },
      };
    }),
  };
}

function manifestOf(clips: readonly PlannedClip[], settings: ClipTiming & { count: number; seed: number }, isVideoSkipped: boolean): PyJsonValue {
  return {
    generator: GENERATOR,
    version: GROUND_TRUTH_VERSION,
    seed: settings.seed,
    count: settings.count,
    width: settings.width,
    height: settings.height,
    fps: settings.fps,
    durationSeconds: settings.durationSeconds,
    hasVideo: !isVideoSkipped,
    clips: clips.map((clip) => ({
      name: clip.name,
      clip: clip.clip,
      groundTruth: clip.groundTruth,
      kind: clip.program.kind,
      speed: clip.program.speed,
      easing: clip.program.easing,
      primitives: clip.program.primitives,
    })),
  };
}
