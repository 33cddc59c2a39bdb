// Migration 1: the whole data model of DESIGN.md ("Data model") except training jobs, which
// arrive with the training issue's own migration. Migrations are append-only: never edit a
// released one (the checksum check in db/migrate.ts refuses files whose history differs).
export const name = 'initial';

export const sql = /* sql */ `
CREATE TABLE project_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Every imported file: where it was, what format, and how it was written (for round trips).
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('sft','rl','eval','results','camerabench','camerabench-scores')),
  style TEXT NOT NULL,          -- JSON: layout, indent, ensure_ascii, separators, trailing newline
  container TEXT,               -- JSON: the wrapper object minus its records (results' metrics, meta)
  sha256 TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;

CREATE TABLE clips (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,    -- file name: datasets name one clip by different folders
  ref TEXT NOT NULL,            -- the path as first imported, e.g. video/x.mp4
  file_path TEXT,               -- absolute path on disk, when found
  media_status TEXT NOT NULL CHECK (media_status IN ('ok','missing','error')),
  content_hash TEXT,
  probe TEXT,                   -- JSON (media issue)
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE samples (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,     -- clip file name + U+001F + question
  clip_id INTEGER REFERENCES clips(id),
  kind TEXT NOT NULL CHECK (kind IN ('sft','rl','eval','camerabench')),
  problem_id TEXT,
  question TEXT NOT NULL,
  options TEXT NOT NULL,        -- JSON array of option strings
  problem_type TEXT NOT NULL,
  answer TEXT,                  -- reference option letter
  primitive TEXT,
  split TEXT NOT NULL DEFAULT 'train',
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','reviewed','accepted','rejected')),
  tags TEXT NOT NULL DEFAULT '[]',
  head_revision_id INTEGER REFERENCES chain_revisions(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX samples_clip ON samples(clip_id);
CREATE INDEX samples_status ON samples(status);
CREATE INDEX samples_split ON samples(split);
CREATE INDEX samples_primitive ON samples(primitive);

-- The record each sample came from, verbatim, per source: exports of unchanged samples give
-- these bytes back.
CREATE TABLE sample_sources (
  source_id INTEGER NOT NULL REFERENCES sources(id),
  record_index INTEGER NOT NULL,
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  raw TEXT NOT NULL,
  PRIMARY KEY (source_id, record_index)
) STRICT;
CREATE INDEX sample_sources_sample ON sample_sources(sample_id);

-- O-T-A chains, append-only: an edit is a new revision whose parent is the previous head.
CREATE TABLE chain_revisions (
  id INTEGER PRIMARY KEY,
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  parent_id INTEGER REFERENCES chain_revisions(id),
  text TEXT NOT NULL,
  author_kind TEXT NOT NULL CHECK (author_kind IN ('person','model','analyzer','import')),
  author TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX chain_revisions_sample ON chain_revisions(sample_id);
CREATE TRIGGER chain_revisions_append_only_update BEFORE UPDATE ON chain_revisions
BEGIN SELECT RAISE(ABORT, 'chain revisions are append-only'); END;
CREATE TRIGGER chain_revisions_append_only_delete BEFORE DELETE ON chain_revisions
BEGIN SELECT RAISE(ABORT, 'chain revisions are append-only'); END;

-- Full-text search over each sample's current chain (rowid = sample id).
CREATE VIRTUAL TABLE chain_search USING fts5(text, tokenize = 'unicode61');
CREATE TRIGGER samples_head_insert AFTER INSERT ON samples WHEN new.head_revision_id IS NOT NULL
BEGIN
  INSERT INTO chain_search(rowid, text) SELECT new.id, text FROM chain_revisions WHERE id = new.head_revision_id;
END;
CREATE TRIGGER samples_head_update AFTER UPDATE OF head_revision_id ON samples
BEGIN
  DELETE FROM chain_search WHERE rowid = old.id;
  INSERT INTO chain_search(rowid, text) SELECT new.id, text FROM chain_revisions WHERE id = new.head_revision_id;
END;

-- Per-clip CameraBench primitive labels (1 = the motion is present).
CREATE TABLE clip_labels (
  clip_id INTEGER NOT NULL REFERENCES clips(id),
  primitive TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value IN (0, 1)),
  author TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (clip_id, primitive)
) STRICT, WITHOUT ROWID;

-- Inference / evaluation runs and what the model said per sample.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('evaluation','scores','inference')),
  model TEXT NOT NULL,
  source_id INTEGER REFERENCES sources(id),
  meta TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE predictions (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  output TEXT,
  prediction TEXT,
  accuracy REAL,
  score REAL,
  error TEXT,
  PRIMARY KEY (run_id, sample_id)
) STRICT;
CREATE INDEX predictions_sample ON predictions(sample_id);
`;
