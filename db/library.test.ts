// Migration 4's Library cache: a project at version 3 with samples gets every sample marked for
// linting, and afterwards every writer's chain change marks its sample again (triggers).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, track } from '../tests/support/tempDir';
import { appendRevision } from './chains';
import { migrate } from './migrate';
import type { WritableDB } from './connection';
import { bulkUpdateSamples, pendingLintCount, writeLintCache } from './library';

describe('migration 4 (studio)', () => {
  it('marks existing samples stale, then follows chain edits but not status edits', () => {
    const path = join(tempDir(), 'p.frustum');
    const db = track(new Database(path)) as unknown as WritableDB;
    migrate(db, path, { target: 3 });
    const insert = db.prepare(
      "INSERT INTO samples(key, kind, question, options, problem_type, created_at, updated_at) VALUES (?, 'sft', 'q', '[\"A. No\",\"B. Yes\"]', 'multiple choice', 'now', 'now')",
    );
    insert.run('a');
    insert.run('b');
    migrate(db, path);
    expect(pendingLintCount(db)).toBe(2);
    writeLintCache(db, [1, 2].map((sampleId) => ({ sampleId, revisionId: null, words: 0, chars: 0, codes: [], contradictions: 0 })), [1, 2]);
    expect(pendingLintCount(db)).toBe(0);

    appendRevision(db, 1, '<observation>o</observation><think>t</think><answer>A</answer>', { kind: 'person', name: 'x' });
    expect(db.prepare('SELECT sample_id FROM sample_lint_pending').all()).toEqual([{ sample_id: 1 }]);
    writeLintCache(db, [], [1]);
    bulkUpdateSamples(db, { ids: [1, 2], status: 'accepted', addTags: ['t'] });
    expect(pendingLintCount(db)).toBe(0);
    db.close();
  });

  it('keeps lint codes and the code index in step', () => {
    const path = join(tempDir(), 'p.frustum');
    const db = track(new Database(path)) as unknown as WritableDB;
    migrate(db, path);
    writeLintCache(db, [{ sampleId: 7, revisionId: 1, words: 3, chars: 20, codes: ['empty-think', 'missing-tag'], contradictions: 1 }]);
    writeLintCache(db, [{ sampleId: 7, revisionId: 2, words: 3, chars: 20, codes: ['missing-tag'], contradictions: 0 }]);
    expect(db.prepare('SELECT code FROM sample_lint_codes WHERE sample_id = 7').all()).toEqual([{ code: 'missing-tag' }]);
    expect(db.prepare('SELECT codes, contradictions FROM sample_lint WHERE sample_id = 7').get()).toEqual({ codes: '["missing-tag"]', contradictions: 0 });
    db.close();
  });
});
