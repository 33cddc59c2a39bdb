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
  content TEXT NOT NULL,        -- the file's text as imported: records are slices of it
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
-- Only the clip index: status, split and primitive have a handful of values each, so a scan
-- beats an index there, and every index costs each of the tens of thousands of import inserts.
CREATE INDEX samples_clip ON samples(clip_id);

-- The record each sample came from, as [start, end) offsets (UTF-16 code units, as JavaScript
-- slices strings) into its source's content: exports of unchanged samples give these exact
-- bytes back. One copy of the file instead of one text per record: imports write far less.
CREATE TABLE sample_sources (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  record_index INTEGER NOT NULL,
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL
) STRICT;
CREATE INDEX sample_sources_sample ON sample_sources(sample_id);

-- O-T-A chains, append-only: an edit is a new revision whose parent is the previous head.
CREATE TABLE chain_revisions (
  id INTEGER PRIMARY KEY,
  -- Deferred: an import writes a new sample's first chain just before the sample (whose row
  -- already names it as head); the check runs at commit, through chain_revisions_sample.
  sample_id INTEGER NOT NULL REFERENCES samples(id) DEFERRABLE INITIALLY DEFERRED,
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

-- Full-text search over each sample's current chain (rowid = sample id). Contentless: the
-- text lives in chain_revisions, not twice. Edits index at once (db/chains.ts setChainHead);
-- imports only list their samples in chain_search_pending, and the first search indexes them.
CREATE VIRTUAL TABLE chain_search USING fts5(text, content = '', contentless_delete = 1, tokenize = 'unicode61');
CREATE TABLE chain_search_pending (sample_id INTEGER PRIMARY KEY) STRICT;

-- Per-clip CameraBench primitive labels (1 = the motion is present) set explicitly, by a
-- person or the analyzer. Labels that imported Yes/No questions imply are not copied here:
-- the clip_primitive_labels view derives them from the samples, so there is one truth.
CREATE TABLE clip_labels (
  clip_id INTEGER NOT NULL REFERENCES clips(id),
  primitive TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value IN (0, 1)),
  author TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (clip_id, primitive)
) STRICT, WITHOUT ROWID;

-- Every clip's label per primitive: an explicit label wins over what its samples imply.
CREATE VIEW clip_primitive_labels AS
SELECT clip_id, primitive, value, author FROM clip_labels
UNION ALL
SELECT s.clip_id, s.primitive,
       max(CASE WHEN lower(trim(substr(o.value, 3))) = 'yes' THEN 1 ELSE 0 END) AS value,
       'samples' AS author
  FROM samples s
  JOIN json_each(s.options) o ON substr(o.value, 1, 2) = s.answer || '.'
 WHERE s.clip_id IS NOT NULL AND s.primitive IS NOT NULL AND s.answer IS NOT NULL
   AND lower(trim(substr(o.value, 3))) IN ('yes', 'no')
   AND NOT EXISTS (SELECT 1 FROM clip_labels l WHERE l.clip_id = s.clip_id AND l.primitive = s.primitive)
 GROUP BY s.clip_id, s.primitive;

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
