// data/evidence.json in a built-in run's folder: each clip's motion evidence (one vector per frame
// pair from the analyzer's tracking, backend/motion/analyze/evidence.ts), keyed by the media path
// the records name, so the trainer (training/trainer) reads the frozen dataset and nothing else.
// The train job writes it from the project's stored evidence after freezing the snapshot.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { array, number, object, record, string } from 'zod';
import { ProjectError } from '../../common/errors';

export const EVIDENCE_FILE = 'data/evidence.json';

export interface ClipEvidenceData {
  fps: number;
  pairs: number;
  dims: number;
  /** pairs × dims, row-major. */
  data: Float32Array;
}

const evidenceFile = object({
  version: number().int(),
  features: array(string()),
  clips: record(string(), object({ fps: number(), pairs: number().int().nonnegative(), dims: number().int().positive(), data: string() })),
});

export interface EvidenceSet {
  version: number;
  features: string[];
  clips: Map<string, ClipEvidenceData>;
}

export function writeEvidenceFile(runFolder: string, evidence: EvidenceSet): void {
  const clips: Record<string, { fps: number; pairs: number; dims: number; data: string }> = {};
  for (const [key, clip] of evidence.clips) {
    clips[key] = { fps: clip.fps, pairs: clip.pairs, dims: clip.dims, data: Buffer.from(clip.data.buffer, clip.data.byteOffset, clip.data.byteLength).toString('base64') };
  }
  writeFileSync(join(runFolder, EVIDENCE_FILE), `${JSON.stringify({ version: evidence.version, features: evidence.features, clips })}\n`);
}

export function readEvidenceFile(runFolder: string): EvidenceSet {
  const path = join(runFolder, EVIDENCE_FILE);
  let parsed;
  try {
    parsed = evidenceFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ProjectError(path, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!parsed.success) throw new ProjectError(path, `is not an evidence file: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const clips = new Map<string, ClipEvidenceData>();
  for (const [key, clip] of Object.entries(parsed.data.clips)) {
    const bytes = Buffer.from(clip.data, 'base64');
    if (bytes.length !== clip.pairs * clip.dims * 4) throw new ProjectError(path, `clip ${key}: ${bytes.length} bytes of evidence for ${clip.pairs} pairs × ${clip.dims} features`);
    const data = new Float32Array(clip.pairs * clip.dims);
    new Uint8Array(data.buffer).set(bytes);
    clips.set(key, { fps: clip.fps, pairs: clip.pairs, dims: clip.dims, data });
  }
  return { version: parsed.data.version, features: parsed.data.features, clips };
}
