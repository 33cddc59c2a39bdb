// Migration 3 (issue #3, analysis): the geometric analyzer's reading of each clip, so a project
// is not re-analyzed on every run and the Review screen can plot the motion timeline and check
// chains against what was measured (common/motion/chainCheck.ts).
//
// History is kept, one row per (clip, analyzer, version, settings, clip content): re-running
// with the same inputs replaces that row (INSERT OR REPLACE gives it a new, highest id), while
// another analyzer version, other settings or an edited clip add a row. So the table stays
// bounded by what was actually tried, an older version's reading stays there to compare with,
// and going back to earlier settings costs no re-analysis. The row with the highest id of a
// clip is its current reading (db/analysis.ts).
export const name = 'analysis';

export const sql = /* sql */ `
CREATE TABLE clip_analyses (
  id INTEGER PRIMARY KEY,
  clip_id INTEGER NOT NULL REFERENCES clips(id),
  analyzer TEXT NOT NULL,           -- e.g. frustum-analyzer
  analyzer_version TEXT NOT NULL,
  settings TEXT NOT NULL,           -- JSON {"fps", "width", "fovDegrees"}, in that key order (compared as text)
  content_hash TEXT NOT NULL,       -- sha256 of the clip file that was analyzed
  clip_fps REAL NOT NULL CHECK (clip_fps > 0),  -- the clip's own rate: timeline frame × clip_fps / fps = clip frame
  scores TEXT NOT NULL,             -- JSON: primitive → score in [0, 1]
  evidence TEXT NOT NULL,           -- JSON: primitive → strongest 1-second evidence, in its units
  summary TEXT NOT NULL,            -- JSON: common/motion/reading.ts MotionSummary
  timeline TEXT NOT NULL,           -- JSON: TimelinePoint[]
  segments TEXT NOT NULL,           -- JSON: MotionSegment[]
  created_at TEXT NOT NULL,
  UNIQUE (clip_id, analyzer, analyzer_version, settings, content_hash)
) STRICT;
-- The UNIQUE index starts with clip_id, so "newest per clip" needs no index of its own.
`;
