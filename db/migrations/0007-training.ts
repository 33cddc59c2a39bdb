// Migration 7 (issue 10, training): metric points in the order they were stored, and GRPO
// rollouts. A trainer re-logs steps it repeats after a resume; `INSERT OR REPLACE` gives the
// replaced point a new rowid, so "every point stored since seq S" (what the studio pushes to
// the charts as it arrives) is one range scan on the rowid. Migration 6's job_metrics was keyed
// without a rowid; its points (none were written before training existed) are carried over.
export const name = 'training';

export const sql = /* sql */ `
CREATE TABLE job_metric_points (
  seq INTEGER PRIMARY KEY,            -- storage order: the charts' cursor
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  step INTEGER NOT NULL,
  key TEXT NOT NULL,                  -- flattened on "/": loss, reward/overall, actor/kl_loss, …
  value REAL NOT NULL,
  UNIQUE (job_id, key, step)
) STRICT;
INSERT INTO job_metric_points(job_id, step, key, value) SELECT job_id, step, key, value FROM job_metrics ORDER BY job_id, step, key;
DROP TABLE job_metrics;

CREATE TABLE job_rollouts (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs(id),
  step INTEGER NOT NULL,
  sample_id INTEGER,                  -- the RL record's sample when the trainer said which (no foreign key: samples may be deleted)
  ground_truth TEXT NOT NULL,
  responses TEXT NOT NULL             -- JSON [{text, length, overall, format, accuracy, advantage}]
) STRICT;
CREATE INDEX job_rollouts_step ON job_rollouts(job_id, step);
`;
