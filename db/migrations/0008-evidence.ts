// Migration 8 (issue 11, the built-in reasoner): motion evidence per clip, one float32 vector per
// sampled frame pair (backend/motion/analyze/evidence.ts), so training and inference read what
// the tracker measured without tracking the clip again.
//
// Keyed like clip_analyses (migration 3): the same clip content, evidence version and sampling
// replace their row (INSERT OR REPLACE gives it a new, highest rowid), anything else adds one;
// a clip's highest rowid of a version is its current evidence (db/evidence.ts). Unlike readings,
// evidence is derived data with no history worth keeping once its clip is gone: it cascades.
export const name = 'evidence';

export const sql = /* sql */ `
CREATE TABLE clip_evidence (
  clip_id INTEGER NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,         -- EVIDENCE_VERSION of the features
  content_hash TEXT NOT NULL,       -- sha256 of the clip file that was tracked
  settings TEXT NOT NULL,           -- JSON {"fps", "width"}, in that key order (compared as text)
  fps REAL NOT NULL CHECK (fps > 0),  -- the sampling rate: pair i spans sampled frames i and i + 1
  pairs INTEGER NOT NULL CHECK (pairs >= 0),
  dims INTEGER NOT NULL CHECK (dims > 0),
  data BLOB NOT NULL,               -- float32 little-endian, pairs × dims, row-major
  created_at TEXT NOT NULL,
  PRIMARY KEY (clip_id, version, content_hash, settings),
  CHECK (length(data) = pairs * dims * 4)
) STRICT;
`;
