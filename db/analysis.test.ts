import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipAnalysis } from '../common/api/contract';
import { PRIMITIVES, type Primitive } from '../common/camerabench/primitives';
import { ProjectError } from '../common/errors';
import type { MotionReading, TimelinePoint } from '../common/motion/reading';
import { tempDir, track } from '../tests/support/tempDir';
import { appendRevision } from './chains';
import { checkStoredChains, findClipAnalysis, loadClipAnalysis, loadLatestAnalysis, loadLatestReadings, saveClipAnalysis, type ClipAnalysisRecord } from './analysis';
import { createProject, type WritableDB } from './connection';

function point(frame: number, pan: number): TimelinePoint {
  return {
    frame, time: (frame + 0.5) / 8, panDegreesPerSecond: pan, tiltDegreesPerSecond: 0, rollDegreesPerSecond: 0, zoomPerSecond: 1,
    driftPercentX: -pan, driftPercentY: 0, translation: null, translationPercent: 0, parallax: 0.02, shake: 0.01, inlierRatio: 0.95, trackCount: 220,
  };
}

/** What the analyzer reads on an 8-fps, 2-second clip panning right at 6 °/s. */
function panRightReading(score = 0.97): MotionReading {
  const scores = Object.fromEntries(PRIMITIVES.map((primitive) => [primitive, primitive === 'Pan_Right' ? score : 0.02])) as Record<Primitive, number>;
  const timeline = Array.from({ length: 15 }, (_, frame) => point(frame, 6));
  return {
    scores,
    evidence: Object.fromEntries(PRIMITIVES.map((primitive) => [primitive, primitive === 'Pan_Right' ? 6 : 0])) as Record<Primitive, number>,
    timeline,
    segments: [{
      firstFrame: 1, lastFrame: 16, startSeconds: 0, endSeconds: 2, primitive: 'Pan_Right', panDegreesPerSecond: 6, tiltDegreesPerSecond: 0,
      rollDegreesPerSecond: 0, zoomPerSecond: 1, driftPercentX: -6, driftPercentY: 0, translationPercent: 0, parallax: 0.02,
    }],
    summary: {
      durationSeconds: 2, frameCount: 16, fps: 8, width: 320, height: 180, fovDegrees: 60, panDegreesPerSecond: 6, tiltDegreesPerSecond: 0,
      rollDegreesPerSecond: 0, zoomPerSecond: 1, parallax: 0.02, shakeDegrees: 0.01, meanTrackCount: 220, meanInlierRatio: 0.95, unmeasuredPairs: 0,
    },
  };
}

const ANALYZER = { name: 'frustum-analyzer', version: '1' };
const SETTINGS = { fps: 8, width: 320, fovDegrees: 60 };

function record(overrides: Partial<ClipAnalysisRecord> = {}): ClipAnalysisRecord {
  return { analyzer: ANALYZER, settings: SETTINGS, contentHash: 'hash-a', clipFps: 24, reading: panRightReading(), ...overrides };
}

function project(): WritableDB {
  const db = track(createProject(join(tempDir(), 'p.frustum')));
  db.prepare("INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES ('a.mp4', 'video/a.mp4', '/v/a.mp4', 'ok', 'now'), ('b.mp4', 'video/b.mp4', NULL, 'missing', 'now')").run();
  const sample = db.prepare("INSERT INTO samples(key, clip_id, kind, question, options, problem_type, answer, primitive, created_at, updated_at) VALUES (?, ?, 'camerabench', ?, '[\"A. No\",\"B. Yes\"]', 'multiple choice', ?, ?, 'now', 'now')");
  sample.run('a/left', 1, 'Does the camera pan to the left?', 'A', 'Pan_Left');
  sample.run('a/right', 1, 'Does the camera pan to the right?', 'B', 'Pan_Right');
  sample.run('b/right', 2, 'Does the camera pan to the right?', 'B', 'Pan_Right');
  return db;
}

describe('clip analyses', () => {
  it('stores a reading and gives it back in the contract shape', () => {
    const db = project();
    expect(loadClipAnalysis(db, 1)).toBeNull();
    saveClipAnalysis(db, 1, record());
    const analysis = loadClipAnalysis(db, 1);
    expect(clipAnalysis.parse(analysis)).toEqual(analysis);
    expect(analysis).toMatchObject({ analyzer: 'frustum-analyzer 1', frameStride: 3, scores: { Pan_Right: 0.97 } });
    // A reading from before lens estimates used the lens it was given.
    expect(analysis?.lens).toEqual({ fovDegrees: 60, source: 'given' });
    expect(analysis!.timeline).toHaveLength(15);
    expect(Object.keys(analysis!.timeline[0]!).sort()).toEqual(['frame', 'panDegreesPerSecond', 'parallax', 'rollDegreesPerSecond', 'shake', 'tiltDegreesPerSecond', 'time', 'translationPercent', 'zoomPerSecond']);
    expect(analysis!.segments).toEqual([{ firstFrame: 1, lastFrame: 16, startSeconds: 0, endSeconds: 2, primitive: 'Pan_Right' }]);
    // One draft per question of the clip, answering it from the reading.
    expect(Object.keys(analysis!.drafts)).toEqual(['1', '2']);
    expect(analysis!.drafts['1']).toMatch(/<answer>A<\/answer>$/);
    expect(analysis!.drafts['2']).toMatch(/<answer>B<\/answer>$/);
    db.close();
  });

  it('replaces a reading of the same inputs and keeps other versions as history', () => {
    const db = project();
    const first = saveClipAnalysis(db, 1, record());
    const other = saveClipAnalysis(db, 1, record({ analyzer: { ...ANALYZER, version: '2' }, reading: panRightReading(0.9) }));
    expect(loadLatestAnalysis(db, 1)?.reading.scores.Pan_Right).toBe(0.9);
    expect(findClipAnalysis(db, 1, { analyzer: ANALYZER, settings: SETTINGS, contentHash: 'hash-a' })).toMatchObject({ isNewest: false, analysis: { id: first } });
    expect(findClipAnalysis(db, 1, { analyzer: ANALYZER, settings: { ...SETTINGS, fps: 12 }, contentHash: 'hash-a' })).toBeNull();
    expect(findClipAnalysis(db, 1, { analyzer: ANALYZER, settings: SETTINGS, contentHash: 'hash-b' })).toBeNull();
    const again = saveClipAnalysis(db, 1, record({ reading: panRightReading(0.8) }));
    expect(again).toBeGreaterThan(other);
    expect(loadLatestAnalysis(db, 1)?.reading.scores.Pan_Right).toBe(0.8);
    expect(db.prepare('SELECT count(*) AS n FROM clip_analyses').get()).toEqual({ n: 2 });
    expect([...loadLatestReadings(db).readings.keys()]).toEqual([1]);
    db.close();
  });

  it('reports a stored reading that does not parse, naming the row and column', () => {
    const db = project();
    const id = saveClipAnalysis(db, 1, record());
    db.prepare("UPDATE clip_analyses SET timeline = '[{\"frame\": \"one\"}]' WHERE id = ?").run(id);
    expect(() => loadClipAnalysis(db, 1)).toThrow(ProjectError);
    expect(() => loadClipAnalysis(db, 1)).toThrow(/stored analysis 1 of clip 1 cannot be read \(column timeline at 0\.frame/);
    expect(loadLatestReadings(db).unreadable).toEqual([{ id, clipId: 1, clipName: 'a.mp4', reason: expect.stringMatching(/column timeline/) }]);
    // Not reusable: analyze replaces it.
    expect(findClipAnalysis(db, 1, { analyzer: ANALYZER, settings: SETTINGS, contentHash: 'hash-a' })).toBeNull();
    db.close();
  });

  it('checks current chains against readings', () => {
    const db = project();
    appendRevision(db, 1, '<observation>Drift to the right.</observation><think>The camera pans left.</think><answer>B</answer>', { kind: 'person', name: 'me' });
    appendRevision(db, 2, '<observation>Drift to the left.</observation><think>The camera pans right.</think><answer>B</answer>', { kind: 'person', name: 'me' });
    appendRevision(db, 3, '<observation>x</observation><think>The camera pans left.</think><answer>B</answer>', { kind: 'person', name: 'me' });
    expect(checkStoredChains(db)).toMatchObject({ checked: 0, withoutReading: 3, samples: [] });
    saveClipAnalysis(db, 1, record());
    const report = checkStoredChains(db);
    expect(report).toMatchObject({ checked: 2, withoutReading: 1, unreliableReading: 0 });
    expect(report.samples).toHaveLength(1);
    expect(report.samples[0]).toMatchObject({ sampleId: 1, clipName: 'a.mp4' });
    expect(report.samples[0]!.contradictions.map((found) => found.kind)).toEqual(['opposite-direction', 'answer']);
    db.close();
  });
});
