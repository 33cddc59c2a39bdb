// Evidence over a small demo-like project (backend/demo/fillDemo.ts on three short synthetic
// clips): analyzeProject stores each clip's evidence beside its reading, and ensureClipEvidence
// tracks only the clips that lack it, the same numbers as the analysis gave.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLatestReadings } from '../../../db/analysis';
import { createProject, openProject } from '../../../db/connection';
import { evidenceOfClips } from '../../../db/evidence';
import { copyProject } from '../../../tests/support/studioProject';
import { tempDir, track } from '../../../tests/support/tempDir';
import { fillDemoProject } from '../../demo/fillDemo';
import { synthesize } from '../synth/synthesize';
import { EVIDENCE_DIMS } from './evidence';
import { ensureClipEvidence, EVIDENCE_SETTINGS } from './projectEvidence';

let folder = '';
let project = '';
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'frustum-evidence-'));
  const clipsFolder = join(folder, 'demo-clips');
  await synthesize({ out: clipsFolder, count: 3, seed: 5, width: 160, height: 96, fps: 8, durationSeconds: 1.5 });
  project = join(folder, 'demo.frustum');
  const db = createProject(project);
  try {
    await fillDemoProject(db, clipsFolder);
  } finally {
    db.close();
  }
}, 120_000);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('project evidence', () => {
  it('analyzeProject stores evidence for every clip it reads: one vector per pair', () => {
    const db = track(openProject(copyProject(project, tempDir())));
    const { readings } = loadLatestReadings(db);
    expect(readings.size).toBe(3);
    const evidence = evidenceOfClips(db, [...readings.keys()], { settings: EVIDENCE_SETTINGS });
    for (const [clipId, stored] of readings) {
      const found = evidence.get(clipId);
      expect(found, `clip ${clipId}`).toBeDefined();
      expect(found!.pairs).toBe(stored.reading.summary.frameCount - 1);
      expect(found!.dims).toBe(EVIDENCE_DIMS);
      expect(found!.contentHash).toBe(stored.contentHash);
      expect(found!.data).toHaveLength(found!.pairs * EVIDENCE_DIMS);
      // Textured synthetic scenes: every pair is tracked.
      for (let pair = 0; pair < found!.pairs; pair += 1) expect(found!.data[pair * EVIDENCE_DIMS]).toBe(1);
    }
    db.close();
  });

  it('ensureClipEvidence tracks a clip whose evidence is gone, reuses the rest, and reports a missing clip', async () => {
    const db = track(openProject(copyProject(project, tempDir())));
    const clipIds = [...loadLatestReadings(db).readings.keys()];
    const before = evidenceOfClips(db, clipIds);
    const dropped = clipIds[1]!;
    db.prepare('DELETE FROM clip_evidence WHERE clip_id = ?').run(dropped);
    db.prepare("INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES ('gone.mp4', 'video/gone.mp4', NULL, 'missing', 'now')").run();
    const missing = Number(db.prepare("SELECT id FROM clips WHERE name = 'gone.mp4'").pluck().get());
    const progress: number[] = [];
    const report = await ensureClipEvidence(db, [...clipIds, missing], { onClip: (done) => progress.push(done) });
    expect(report).toMatchObject({ computed: 1, reused: 2 });
    expect(report.failed).toEqual([{ clipId: missing, name: 'gone.mp4', reason: expect.stringMatching(/gone\.mp4 is missing/) as unknown }]);
    expect(progress).toEqual([1, 2, 3, 4]);
    // Tracked again (streamed, at the analyzer's defaults): the numbers the analysis stored.
    const after = evidenceOfClips(db, clipIds);
    expect(after.get(dropped)?.pairs).toBe(before.get(dropped)?.pairs);
    expect([...after.get(dropped)!.data]).toEqual([...before.get(dropped)!.data]);
    // Nothing left to do.
    expect(await ensureClipEvidence(db, clipIds)).toEqual({ computed: 0, reused: 3, failed: [] });
    db.close();
  }, 60_000);

  it('an aborted run throws', async () => {
    const db = track(openProject(copyProject(project, tempDir())));
    const controller = new AbortController();
    controller.abort();
    await expect(ensureClipEvidence(db, [1], { signal: controller.signal })).rejects.toThrow(/abort/i);
    db.close();
  });
});
