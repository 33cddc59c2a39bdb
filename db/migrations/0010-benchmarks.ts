// Migration 10 (issue 13, benchmarks): which samples are items of which benchmark, with the
// structure scoring needs and the samples table lacks. A table of its own, not columns on
// samples, because one sample can be several items: a CameraBench VQA video+question recurs
// across pairs and tasks (14,172 items are 12,317 samples), ShotBench's camera-movement rows are
// RefineShot's too, and a binary question imported from the JSONL and from CamReasoner's file is
// one sample and one item (common/formats/benchmarks.ts says which file gives which item).
//
// - item_key: the item's identity in its benchmark, the same from every file that names it —
//   camerabench-binary "<primitive>/<clip file name>"; camerabench-vqa CamReasoner's converted_vqa
//   problem_id "<task>.jsonl_<k>" (k = 4 × pair + role), which the official pair files give too;
//   camerabench-vqa-runpy run.py's problem_id "<task>-<k+1>"; camerabench-caption the clip's file
//   name; shotbench and refineshot the row's index. UNIQUE: importing a file again adds nothing.
// - split: what the benchmark averages over (primitive, VQA skill folder, ShotBench category,
//   "caption"); task, group_key and role: a VQA item's task file, pair and place in the pair,
//   with CameraBench's evaluator's role names; reference: a caption's reference text; meta: JSON
//   for the rest (run.py's label by the pair's semantics, a ShotBench row's data type, …).
// - camerabench-vqa-runpy is CamReasoner's camerabench_vqa.json, the same pairs asked as "which
//   option is more likely to have the answer 'yes'/'no'", with the "'no'" labels inverted
//   (../shared/data/evaluation.md §0.2): its own benchmark, so no score mixes it with the
//   correctly labelled form.
//
// sources.format gains the four new import formats. SQLite cannot alter a CHECK, so the table is
// rebuilt. Its rows are children's parents (sample_sources, runs) and foreign keys are on, which
// a migration (inside a transaction) cannot turn off: with defer_foreign_keys, dropping the old
// table counts each child row as a violation and inserting its parent again uncounts it, so the
// commit succeeds only if every child found its parent again — checked by SQLite, not assumed.
export const name = 'benchmarks';

export const sql = /* sql */ `
PRAGMA defer_foreign_keys = ON;
CREATE TABLE sources_before_10 AS SELECT * FROM sources;
DROP TABLE sources;
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('sft','rl','eval','results','camerabench','camerabench-scores',
                                         'camerabench-vqa','camerabench-caption','shotbench','refineshot')),
  style TEXT NOT NULL,          -- JSON: layout, indent, ensure_ascii, separators, trailing newline
  container TEXT,               -- JSON: the wrapper object minus its records (results' metrics, meta)
  content TEXT NOT NULL,        -- the file's text as imported: records are slices of it
  sha256 TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;
INSERT INTO sources(id, path, format, style, container, content, sha256, record_count, imported_at)
  SELECT id, path, format, style, container, content, sha256, record_count, imported_at FROM sources_before_10 ORDER BY id;
DROP TABLE sources_before_10;

CREATE TABLE benchmark_items (
  id INTEGER PRIMARY KEY,
  benchmark TEXT NOT NULL CHECK (benchmark IN ('camerabench-binary','camerabench-vqa','camerabench-vqa-runpy',
                                               'camerabench-caption','shotbench','refineshot')),
  item_key TEXT NOT NULL,
  sample_id INTEGER NOT NULL REFERENCES samples(id),
  split TEXT NOT NULL,          -- primitive | VQA skill folder | ShotBench category | 'caption'
  task TEXT,                    -- VQA: task file stem
  group_key TEXT,               -- VQA: the pair, '<skill>/<task>#<pair index in the task file>'
  role TEXT CHECK (role IN ('pos_text_pos_image','pos_text_neg_image','neg_text_pos_image','neg_text_neg_image')),
  reference TEXT,               -- captions: the reference caption
  meta TEXT NOT NULL DEFAULT '{}',
  UNIQUE (benchmark, item_key),
  -- A VQA item is nothing to score without its pair; a caption nothing without its reference.
  CHECK ((benchmark IN ('camerabench-vqa','camerabench-vqa-runpy')) = (task IS NOT NULL AND group_key IS NOT NULL AND role IS NOT NULL)),
  CHECK (benchmark <> 'camerabench-caption' OR reference IS NOT NULL)
) STRICT;
CREATE INDEX benchmark_items_sample ON benchmark_items(sample_id);
`;
