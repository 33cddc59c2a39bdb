// Migration 9 (issue 12, inference): runs that Frustum asks itself. A run freezes its samples
// in order (run_samples), so a resumed run asks exactly the samples it was started with, and a
// prediction keeps what the Inspect view and the benchmarks need besides the answer: the frames
// the model received, its token count, how long it took and why it stopped. `score` (migration
// 1) holds P(Yes) at the answer token where the engine gives log-probs.
export const name = 'inference';

export const sql = /* sql */ `
CREATE TABLE run_samples (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  position INTEGER NOT NULL CHECK (position >= 0),
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  PRIMARY KEY (run_id, position)
) STRICT;
CREATE UNIQUE INDEX run_samples_sample ON run_samples(run_id, sample_id);

ALTER TABLE predictions ADD COLUMN frames TEXT;              -- JSON [{timestamp, width, height}] sent
ALTER TABLE predictions ADD COLUMN completion_tokens INTEGER;
ALTER TABLE predictions ADD COLUMN first_token_ms REAL;      -- request sent → first content token
ALTER TABLE predictions ADD COLUMN duration_ms REAL;         -- request sent → last token
ALTER TABLE predictions ADD COLUMN finish_reason TEXT;
ALTER TABLE predictions ADD COLUMN created_at TEXT;
`;
