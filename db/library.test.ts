// Migration 4's Library cache: a project at version 3 with samples gets every sample marked for
// linting, and afterwards every writer's chain change marks its sample again (triggers).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, track } from '../tests/support/tempDir';
import { appendRevision } from './chains';
import { migrate } from './migrate';
import type { WritableDB } from './connection';
import { seededRandom } from '../common/random';
import {
  bulkUpdateSamples, countSamples, FACET_NAMES, ftsQuery, libraryFacets, pendingLintCount, restoreSamples, writeLintCache, type FacetName,
  type LintCacheEntry, type SampleFilter,
} from './library';

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

// Whatever a person types (or pastes) into the search box, the FTS5 query ftsQuery builds must be
// one SQLite accepts: a search for "\u0000" was an internal error ("unterminated string").
describe('ftsQuery', () => {
  const PIECES = [
    '\u0000', '\u0001', '\u0008', '\u001f', '\u007f', '\u0085', '\ud800', '\udfff', '\udfff\ud800', '\ud83d\ude00', '\ufeff', '\uffff',
    '"', '""', '"""', "'", '*', '^', ':', '+', '-', '(', ')', '{', '}', ',', '.', '\\', '%', '_', '\u2028', 'NEAR(', 'NEAR/2',
    'AND', 'OR', 'NOT', 'near', 'text:', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', 'pan', 'left', 'zoom', 'é', 'e\u0301', 'ß', '中文', 'ﬁ',
  ];

  function randomText(random: () => number): string {
    let text = '';
    const count = Math.floor(random() * 12);
    for (let index = 0; index < count; index++) {
      // Mostly pieces that mean something to FTS5 or to C strings; now and then any UTF-16 code unit.
      text += random() < 0.8 ? (PIECES[Math.floor(random() * PIECES.length)] as string) : String.fromCharCode(Math.floor(random() * 0x10000));
    }
    return text;
  }

  it('gives SQLite a query it accepts for any text, and still finds what was typed', () => {
    const path = join(tempDir(), 'p.frustum');
    const db = track(new Database(path)) as unknown as WritableDB;
    migrate(db, path);
    // Every search first brings the index up to date in a (here empty) write transaction: without
    // a journal file and a sync per commit, 3,000 searches take a fraction of a second, not seconds.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      "INSERT INTO samples(key, kind, question, options, problem_type, created_at, updated_at) VALUES (?, 'sft', 'q', '[\"A. No\",\"B. Yes\"]', 'multiple choice', 'now', 'now')",
    );
    const chains = ['the camera pans left', 'zoom in on the café', 'NEAR the "quoted" OR text', '中文 ﬁne'];
    for (const [index, chain] of chains.entries()) {
      insert.run(`k${index}`);
      appendRevision(db, index + 1, `<observation>${chain}</observation><think>t</think><answer>A</answer>`, { kind: 'person', name: 'x' });
    }
    const search = (text: string) => {
      const query = ftsQuery(text);
      return query === null ? null : countSamples(db, { search: query }, null);
    };
    expect(search('\u0000')).toBeNull();
    expect(search('pan\u0000')).toBe(1);
    expect(search('"the camera\u0000pans"')).toBe(1);
    expect(search('NEAR')).toBe(1);
    expect(search('caf\ud800')).toBe(1);

    const random = seededRandom(90125);
    const failures: string[] = [];
    const CASES = 3000;
    for (let index = 0; index < CASES; index++) {
      const text = randomText(random);
      try {
        search(text);
      } catch (error) {
        failures.push(`${JSON.stringify(text)}: ${String(error)}`);
      }
    }
    expect(failures.slice(0, 5), `${failures.length} of ${CASES} searches failed`).toEqual([]);
    db.close();
  });
});

// A random project of a few hundred samples: clips on disk, missing and none, two sources (some
// samples in both), tags, lint codes.
function facetProject(seed: number): WritableDB {
  const path = join(tempDir(), 'p.frustum');
  const db = track(new Database(path)) as unknown as WritableDB;
  migrate(db, path);
  db.pragma('journal_mode = MEMORY');
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  db.prepare("INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES ('a.mp4', 'a.mp4', '/v/a.mp4', 'ok', 'now'), ('b.mp4', 'b.mp4', NULL, 'missing', 'now'), ('c.mp4', 'c.mp4', '/v/c.mp4', 'error', 'now')").run();
  db.prepare("INSERT INTO sources(path, format, style, content, sha256, record_count, imported_at) VALUES ('/data/one/train.json', 'sft', '{}', '', 'x', 0, 'now'), ('/data/two/train.json', 'sft', '{}', '', 'y', 0, 'now')").run();
  const insert = db.prepare(
    `INSERT INTO samples(key, clip_id, kind, question, options, problem_type, answer, primitive, split, status, tags, created_at, updated_at)
     VALUES (?, ?, ?, 'q', '["A. No","B. Yes"]', 'multiple choice', ?, ?, ?, ?, ?, 'now', 'now')`,
  );
  const member = db.prepare('INSERT INTO sample_sources(source_id, record_index, sample_id, start_offset, end_offset) VALUES (?, 0, ?, 0, 0)');
  const lint: LintCacheEntry[] = [];
  db.exec('BEGIN');
  for (let id = 1; id <= 300; id++) {
    insert.run(
      `k${id}`, pick([1, 2, 3, null]), pick(['sft', 'rl', 'eval']), pick(['A', 'B', null]), pick(['Pan_Left', 'Zoom_In', 'Static', null]),
      pick(['train', 'test', 'val']), pick(['draft', 'reviewed', 'accepted', 'rejected']), pick(['[]', '["x"]', '["x","y"]', '["y"]']),
    );
    const sources = pick([[1], [2], [1, 2]]);
    for (const source of sources) member.run(source, id);
    lint.push({ sampleId: id, revisionId: null, words: Math.floor(random() * 60), chars: 0, codes: pick([[], ['empty-think'], ['empty-think', 'missing-tag']]), contradictions: pick([0, 0, 1]) });
  }
  db.exec('COMMIT');
  writeLintCache(db, lint);
  return db;
}

describe('library facets', () => {
  it('count each facet under every active filter but its own', () => {
    const db = facetProject(7);
    const random = seededRandom(11);
    const choices: { [K in FacetName]: string[] } = {
      status: ['draft', 'accepted'], split: ['train', 'val'], kind: ['sft', 'rl'], source: ['/data/one/train.json', '/data/two/train.json'],
      primitive: ['Pan_Left', 'Static'], answer: ['A'], lint: ['empty-think', 'missing-tag', 'any', 'none'], tag: ['x', 'y'], media: ['ok', 'missing', 'none'],
    };
    const others: SampleFilter[] = [{}, { hasContradiction: true }, { chainLength: { min: 10, max: 40 } }, { clip: 'A.MP' }, { sampleIds: [1, 2, 3, 50, 51, 200] }];
    let compared = 0;
    for (let round = 0; round < 40; round++) {
      // A random filter: a few facets with a value or two, and now and then one of the flags.
      const filter: Record<string, unknown> = { ...others[round % others.length] };
      for (const name of FACET_NAMES) {
        if (random() < 0.35) filter[name] = choices[name].filter(() => random() < 0.6).concat(choices[name][0] as string);
      }
      const facets = libraryFacets(db, filter as SampleFilter, null);
      for (const name of FACET_NAMES) {
        const { [name]: _own, ...rest } = filter;
        // Every value a facet lists is the count a click on that value alone would show.
        for (const [value, count] of Object.entries(facets[name])) {
          expect(count, `${name}=${value} under ${JSON.stringify(filter)}`).toBe(countSamples(db, { ...rest, [name]: [value] } as SampleFilter, null));
          compared++;
        }
        // And a value it leaves out has no samples there.
        for (const value of choices[name].filter((candidate) => candidate !== 'any' && candidate !== 'none' && !(candidate in facets[name]))) {
          if (name === 'media' && value === 'none') continue;
          expect(countSamples(db, { ...rest, [name]: [value] } as SampleFilter, null), `${name}=${value} missing under ${JSON.stringify(filter)}`).toBe(0);
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
    db.close();
  });

  it('counts media by the clip, and samples without a clip as none', () => {
    const db = facetProject(3);
    const facets = libraryFacets(db, {}, null);
    const total = countSamples(db, {}, null);
    expect(Object.keys(facets.media).sort()).toEqual(['error', 'missing', 'none', 'ok']);
    expect(Object.values(facets.media).reduce((sum, n) => sum + n, 0)).toBe(total);
    expect(facets.media['missing']).toBe(countSamples(db, { media: ['missing'] }, null));
    db.close();
  });
});

describe('bulk changes and their undo', () => {
  it('returns what each sample held, and restores exactly that in one transaction', () => {
    const db = facetProject(5);
    const state = () => db.prepare('SELECT id, status, split, tags FROM samples ORDER BY id').all();
    const before = state();
    const ids = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9999];
    const status = bulkUpdateSamples(db, { ids, status: 'rejected' });
    expect(status.ids).toEqual(ids.slice(0, -1));
    // Grouped by equal values: every id once, each group what those samples held.
    expect(status.previous.flatMap((group) => group.ids).sort((a, b) => a - b)).toEqual(status.ids);
    for (const group of status.previous) {
      for (const id of group.ids) expect(before[id - 1]).toEqual({ id, status: group.status, split: group.split, tags: group.tags });
    }
    const tags = bulkUpdateSamples(db, { ids: [1, 2, 3], addTags: ['z'], removeTags: ['x'] });
    const split = bulkUpdateSamples(db, { ids: [2, 3, 11], split: 'holdout' });
    expect(restoreSamples(db, split.previous)).toEqual([2, 3, 11]);
    expect(restoreSamples(db, tags.previous)).toEqual([1, 2, 3]);
    expect(restoreSamples(db, status.previous)).toEqual(status.ids);
    expect(state()).toEqual(before);
    db.close();
  });

  it('restores all or nothing', () => {
    const db = facetProject(5);
    const before = db.prepare('SELECT id, status FROM samples WHERE id IN (1, 2)').all();
    // A status the table refuses (CHECK) in the second group: the first group is not kept either.
    expect(() => restoreSamples(db, [{ status: 'accepted', split: 'train', tags: '[]', ids: [1] }, { status: 'bogus', split: 'train', tags: '[]', ids: [2] }])).toThrow();
    expect(db.prepare('SELECT id, status FROM samples WHERE id IN (1, 2)').all()).toEqual(before);
    db.close();
  });
});
