import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, track } from '../tests/support/tempDir';
import { createProject, type WritableDB } from './connection';
import { EVIDENCE_VERSION, evidenceOfClips, hasClipEvidence, saveClipEvidence, type ClipEvidenceRecord } from './evidence';

const SETTINGS = { fps: 8, width: 320 };

function project(): WritableDB {
  const db = track(createProject(join(tempDir(), 'p.frustum')));
  db.prepare("INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES ('a.mp4', 'video/a.mp4', '/v/a.mp4', 'ok', 'now'), ('b.mp4', 'video/b.mp4', '/v/b.mp4', 'ok', 'now')").run();
  return db;
}

/** `count` pairs of `dims` values; value = seed + pair + column / 8 (exact in float32). */
function pairs(count: number, dims: number, seed = 0): Float32Array[] {
  return Array.from({ length: count }, (_, pair) => Float32Array.from({ length: dims }, (_, column) => seed + pair + column / 8));
}

function record(overrides: Partial<ClipEvidenceRecord> = {}): ClipEvidenceRecord {
  return { version: EVIDENCE_VERSION, contentHash: 'hash-a', settings: SETTINGS, fps: 8, pairs: pairs(3, 5), ...overrides };
}

describe('clip evidence', () => {
  it('round-trips pairs × dims float32 values, row-major, little-endian', () => {
    const db = project();
    const stored = [Float32Array.of(1.5, -2, Math.PI), Float32Array.of(0, 1e-7, -0.25)];
    saveClipEvidence(db, 1, record({ pairs: stored }));
    const blob = db.prepare('SELECT data FROM clip_evidence').pluck().get() as Buffer;
    expect(blob.readFloatLE(4)).toBe(-2);
    expect(blob.readFloatLE(3 * 4)).toBe(0);
    const found = evidenceOfClips(db, [1, 2]);
    expect([...found.keys()]).toEqual([1]);
    const evidence = found.get(1)!;
    expect(evidence).toMatchObject({ fps: 8, pairs: 2, dims: 3, contentHash: 'hash-a', settings: '{"fps":8,"width":320}' });
    expect(evidence.data).toBeInstanceOf(Float32Array);
    expect([...evidence.data]).toEqual([...stored[0]!, ...stored[1]!]);
    db.close();
  });

  it('replaces the same key, keeps others, and reads each clip\'s newest row of a version', () => {
    const db = project();
    saveClipEvidence(db, 1, record());
    saveClipEvidence(db, 1, record({ contentHash: 'hash-b', pairs: pairs(4, 5, 10) }));
    saveClipEvidence(db, 2, record({ settings: { fps: 5, width: 64 }, fps: 5, pairs: pairs(2, 5, 20) }));
    saveClipEvidence(db, 2, record({ version: EVIDENCE_VERSION + 1, pairs: pairs(1, 5, 30) }));
    expect(db.prepare('SELECT count(*) FROM clip_evidence').pluck().get()).toBe(4);
    let found = evidenceOfClips(db, [1, 2]);
    expect(found.get(1)).toMatchObject({ contentHash: 'hash-b', pairs: 4 });
    expect(found.get(2)).toMatchObject({ pairs: 2, fps: 5 });
    // Saving hash-a again makes it the newest, in place of its old row.
    saveClipEvidence(db, 1, record({ pairs: pairs(6, 5) }));
    expect(db.prepare('SELECT count(*) FROM clip_evidence').pluck().get()).toBe(4);
    found = evidenceOfClips(db, [1, 2], { settings: SETTINGS });
    expect(found.get(1)).toMatchObject({ contentHash: 'hash-a', pairs: 6 });
    expect(found.has(2)).toBe(false);
    expect(evidenceOfClips(db, [2], { version: EVIDENCE_VERSION + 1 }).get(2)?.data[0]).toBe(30);
    expect(hasClipEvidence(db, 1, { version: EVIDENCE_VERSION, contentHash: 'hash-b', settings: SETTINGS })).toBe(true);
    expect(hasClipEvidence(db, 1, { version: EVIDENCE_VERSION, contentHash: 'hash-c', settings: SETTINGS })).toBe(false);
    expect(hasClipEvidence(db, 1, { version: EVIDENCE_VERSION, contentHash: 'hash-b', settings: { fps: 8, width: 640 } })).toBe(false);
    db.close();
  });

  it('stores a clip too short for a pair, and refuses ragged or empty vectors', () => {
    const db = project();
    saveClipEvidence(db, 1, record({ pairs: [], dims: 5 }));
    expect(evidenceOfClips(db, [1]).get(1)).toMatchObject({ pairs: 0, dims: 5 });
    expect(evidenceOfClips(db, [1]).get(1)?.data).toHaveLength(0);
    expect(() => saveClipEvidence(db, 1, record({ pairs: [new Float32Array(5), new Float32Array(4)] }))).toThrow(/pair 1 has 4 values, expected 5/);
    expect(() => saveClipEvidence(db, 1, record({ pairs: [] }))).toThrow(/evidence vectors/);
    expect(() => saveClipEvidence(db, 1, record({ pairs: pairs(1, 5), dims: 4 }))).toThrow(/evidence vectors/);
    expect(() => saveClipEvidence(db, 1, record({ fps: 0 }))).toThrow(/frame rate must be positive/);
    db.close();
  });

  it('is STRICT, checks the blob\'s size, and goes with its clip', () => {
    const db = project();
    saveClipEvidence(db, 1, record());
    saveClipEvidence(db, 2, record());
    const insert = db.prepare("INSERT INTO clip_evidence VALUES (1, 9, 'h', '{}', 8, ?, 2, ?, 'now')");
    expect(() => insert.run(1, Buffer.alloc(4))).toThrow(/CHECK constraint/);
    expect(() => insert.run('one', Buffer.alloc(8))).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => db.prepare("INSERT INTO clip_evidence VALUES (99, 1, 'h', '{}', 8, 0, 1, x'', 'now')").run()).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM clips WHERE id = 1').run();
    expect([...evidenceOfClips(db, [1, 2]).keys()]).toEqual([2]);
    db.close();
  });
});
