// Migration 4 (issue #4, the studio): saved Library views, and a per-sample cache of what the
// Library filters on but SQL cannot compute — lint codes, chain length, contradiction count —
// so a filter over 100k samples is an indexed lookup instead of linting every chain per query
// (target: ≤ 100 ms). Version 3 is the analysis migration (0003-analysis.ts, issue #3).
export const name = 'studio';

export const sql = /* sql */ `
CREATE TABLE saved_views (
  name TEXT PRIMARY KEY,
  filter TEXT NOT NULL,         -- JSON LibraryFilter (common/api/contract.ts)
  sort TEXT NOT NULL,           -- JSON LibrarySort
  updated_at TEXT NOT NULL
) STRICT;

-- One row per sample, for the chain it had when linted (revision_id; NULL = no chain).
-- No foreign key on purpose: the cache must never stand in the way of a write to samples.
-- 'length-outlier' is not stored: it compares a chain with the whole dataset's norms, which
-- move with every edit; the Library computes it from chain_chars and the current norms.
CREATE TABLE sample_lint (
  sample_id INTEGER PRIMARY KEY,
  revision_id INTEGER,
  chain_words INTEGER NOT NULL,
  chain_chars INTEGER NOT NULL,
  codes TEXT NOT NULL,          -- JSON array of lint codes (common/ota/lint.ts), sorted, unique
  contradictions INTEGER NOT NULL
) STRICT;
CREATE TABLE sample_lint_codes (
  code TEXT NOT NULL,
  sample_id INTEGER NOT NULL,
  PRIMARY KEY (code, sample_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX sample_lint_contradictions ON sample_lint(contradictions) WHERE contradictions > 0;

-- Samples whose cache row is stale. A trigger fills it whoever changes a sample's chain or
-- question (the studio, the CLI, the analyzer), so the cache cannot silently drift; the studio
-- relints these rows before it answers a Library query. New samples are listed by their one
-- writer, the import (db/imports.ts), in one batched INSERT: an AFTER INSERT trigger would run
-- once per row and slowed imports by a fifth.
CREATE TABLE sample_lint_pending (sample_id INTEGER PRIMARY KEY) STRICT;
CREATE TRIGGER samples_lint_on_update AFTER UPDATE OF head_revision_id, options, answer, primitive ON samples
BEGIN INSERT OR IGNORE INTO sample_lint_pending(sample_id) VALUES (NEW.id); END;
INSERT INTO sample_lint_pending(sample_id) SELECT id FROM samples;
`;
