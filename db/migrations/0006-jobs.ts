// Migration 6 (issue 9, the job supervisor): one home for long work. Every job — a project
// analysis, a dropped-file import, synthetic clips, and the trainers and inference runs to come
// — is a row here, run by a process of its own that writes its progress and outcome into the
// row, so any window, the CLI (`frustum jobs`) and a studio reopened later all see the same
// state. job_metrics holds the (step, key, value) series trainers report (DESIGN.md: data model).
export const name = 'jobs';

export const sql = /* sql */ `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,                 -- backend/jobs/kinds.ts: analyze, import, synth, …
  title TEXT NOT NULL,                -- what a person sees in the jobs list
  params TEXT NOT NULL,               -- JSON, the kind's input (validated by its schema)
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress_done REAL NOT NULL DEFAULT 0,
  progress_total REAL NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  result TEXT,                        -- JSON, what the job produced (kind-specific)
  error TEXT,                         -- why it failed, with the tail of its log
  pid INTEGER,                        -- the process running it; a detached job leads its own process group
  log_path TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_open ON jobs(state) WHERE state IN ('queued', 'running');

CREATE TABLE job_metrics (
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  step INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (job_id, key, step)
) STRICT, WITHOUT ROWID;
`;
