// Writing one import: every file of one `frustum import` in a single transaction, so a bad
// record anywhere leaves the project exactly as it was (all-or-nothing, DESIGN.md: Formats).
import type { ReadableDB, WritableDB } from './connection';
import { now, statement } from './statements';

export interface ExistingSample {
  id: number;
  key: string;
  answer: string | null;
  headText: string | null;
  raws: string[];
}

/** Samples already in the project under these keys, with their chain and source records. */
export function findSamplesByKeys(db: ReadableDB, keys: readonly string[]): Map<string, ExistingSample> {
  const found = new Map<string, ExistingSample>();
  if (keys.length === 0) return found;
  const rows = statement<[string], { id: number; key: string; answer: string | null; head_text: string | null }>(
    db,
    `SELECT s.id, s.key, s.answer, r.text AS head_text
       FROM json_each(?) AS k JOIN samples s ON s.key = k.value
       LEFT JOIN chain_revisions r ON r.id = s.head_revision_id`,
  ).all(JSON.stringify(keys));
  const raws = statement<[number], { raw: string }>(db, 'SELECT raw FROM sample_sources WHERE sample_id = ?');
  for (const row of rows) {
    found.set(row.key, {
      id: row.id,
      key: row.key,
      answer: row.answer,
      headText: row.head_text,
      raws: raws.all(row.id).map((r) => r.raw),
    });
  }
  return found;
}

export interface ImportSource {
  path: string;
  format: string;
  style: string;
  container: string | null;
  sha256: string;
  recordCount: number;
}

export interface ImportSampleRow {
  recordIndex: number;
  raw: string;
  key: string;
  clipName: string | null;
  clipRef: string | null;
  clipPath: string | null;
  kind: string;
  problemId: string | null;
  question: string;
  options: string;
  problemType: string;
  answer: string | null;
  primitive: string | null;
  split: string;
  chain: string | null;
  label: 0 | 1 | null;
  prediction: {
    output: string | null;
    prediction: string | null;
    accuracy: number | null;
    score: number | null;
    error: string | null;
  } | null;
}

export interface ImportFile {
  source: ImportSource;
  rows: ImportSampleRow[];
  run: { kind: 'evaluation' | 'scores'; model: string; meta: string } | null;
  author: string;
}

export interface ImportCounts {
  samplesAdded: number;
  samplesMerged: number;
  chainsAdded: number;
  clipsAdded: number;
  labelsSet: number;
  predictions: number;
  runs: number[];
}

export function writeImport(db: WritableDB, files: readonly ImportFile[]): ImportCounts {
  const counts: ImportCounts = { samplesAdded: 0, samplesMerged: 0, chainsAdded: 0, clipsAdded: 0, labelsSet: 0, predictions: 0, runs: [] };
  const timestamp = now();
  const insertSource = statement(
    db,
    'INSERT INTO sources(path, format, style, container, sha256, record_count, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertClip = statement(
    db,
    `INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(name) DO NOTHING`,
  );
  const clipId = statement<[string], { id: number }>(db, 'SELECT id FROM clips WHERE name = ?');
  const sampleId = statement<[string], { id: number; head_revision_id: number | null }>(
    db,
    'SELECT id, head_revision_id FROM samples WHERE key = ?',
  );
  const insertSample = statement(
    db,
    `INSERT INTO samples(key, clip_id, kind, problem_id, question, options, problem_type, answer, primitive, split, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fillSample = statement(
    db,
    `UPDATE samples SET answer = coalesce(answer, ?), primitive = coalesce(primitive, ?), problem_id = coalesce(problem_id, ?)
      WHERE id = ?`,
  );
  const insertSampleSource = statement(db, 'INSERT INTO sample_sources(source_id, record_index, sample_id, raw) VALUES (?, ?, ?, ?)');
  const insertRevision = statement(
    db,
    `INSERT INTO chain_revisions(sample_id, parent_id, text, author_kind, author, created_at) VALUES (?, ?, ?, 'import', ?, ?)`,
  );
  const setHead = statement(db, 'UPDATE samples SET head_revision_id = ?, updated_at = ? WHERE id = ?');
  const upsertLabel = statement(
    db,
    `INSERT INTO clip_labels(clip_id, primitive, value, author, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(clip_id, primitive) DO UPDATE SET value = excluded.value, author = excluded.author, updated_at = excluded.updated_at`,
  );
  const insertRun = statement(db, 'INSERT INTO runs(kind, model, source_id, meta, created_at) VALUES (?, ?, ?, ?, ?)');
  const insertPrediction = statement(
    db,
    `INSERT INTO predictions(run_id, sample_id, output, prediction, accuracy, score, error) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_id, sample_id) DO UPDATE SET output = excluded.output, prediction = excluded.prediction,
       accuracy = excluded.accuracy, score = excluded.score, error = excluded.error`,
  );

  // One transaction for every file: better-sqlite3 rolls back if anything throws.
  db.transaction(() => {
    const clipIds = new Map<string, number>();
    for (const file of files) {
      const source = file.source;
      const sourceId = Number(
        insertSource.run(source.path, source.format, source.style, source.container, source.sha256, source.recordCount, timestamp)
          .lastInsertRowid,
      );
      let runId: number | null = null;
      if (file.run) {
        runId = Number(insertRun.run(file.run.kind, file.run.model, sourceId, file.run.meta, timestamp).lastInsertRowid);
        counts.runs.push(runId);
      }
      for (const row of file.rows) {
        let clip: number | null = null;
        if (row.clipName !== null) {
          clip = clipIds.get(row.clipName) ?? null;
          if (clip === null) {
            const added = insertClip.run(row.clipName, row.clipRef, row.clipPath, row.clipPath ? 'ok' : 'missing', timestamp);
            counts.clipsAdded += added.changes;
            clip = (clipId.get(row.clipName) as { id: number }).id;
            clipIds.set(row.clipName, clip);
          }
        }
        let sample = sampleId.get(row.key);
        if (!sample) {
          const id = Number(
            insertSample.run(
              row.key, clip, row.kind, row.problemId, row.question, row.options, row.problemType,
              row.answer, row.primitive, row.split, timestamp, timestamp,
            ).lastInsertRowid,
          );
          sample = { id, head_revision_id: null };
          counts.samplesAdded++;
        } else {
          fillSample.run(row.answer, row.primitive, row.problemId, sample.id);
          counts.samplesMerged++;
        }
        insertSampleSource.run(sourceId, row.recordIndex, sample.id, row.raw);
        if (row.chain !== null && sample.head_revision_id === null) {
          const revision = Number(insertRevision.run(sample.id, null, row.chain, file.author, timestamp).lastInsertRowid);
          setHead.run(revision, timestamp, sample.id);
          counts.chainsAdded++;
        }
        if (clip !== null && row.primitive !== null && row.label !== null) {
          upsertLabel.run(clip, row.primitive, row.label, file.author, timestamp);
          counts.labelsSet++;
        }
        if (runId !== null && row.prediction) {
          const p = row.prediction;
          insertPrediction.run(runId, sample.id, p.output, p.prediction, p.accuracy, p.score, p.error);
          counts.predictions++;
        }
      }
    }
  })();
  return counts;
}
