// Writing one import: every file of one `frustum import` in a single transaction, so a bad
// record anywhere leaves the project exactly as it was (all-or-nothing, DESIGN.md: Formats).
import type { ReadableDB, WritableDB } from './connection';
import { recordTextsOfSamples } from './sources';
import { insertRows, now, statement } from './statements';

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
  // A new project (the common first import) has nothing to find.
  if (!statement<[], { id: number }>(db, 'SELECT id FROM samples LIMIT 1').get()) return found;
  const rows = statement<[string], { id: number; key: string; answer: string | null; head_text: string | null }>(
    db,
    `SELECT s.id, s.key, s.answer, r.text AS head_text
       FROM json_each(?) AS k JOIN samples s ON s.key = k.value
       LEFT JOIN chain_revisions r ON r.id = s.head_revision_id`,
  ).all(JSON.stringify(keys));
  const raws = recordTextsOfSamples(db, rows.map((row) => row.id));
  for (const row of rows) {
    found.set(row.key, { id: row.id, key: row.key, answer: row.answer, headText: row.head_text, raws: raws.get(row.id) ?? [] });
  }
  return found;
}

export interface ImportSource {
  path: string;
  /** The file's text; each row's [start, end) indexes into it. */
  content: string;
  format: string;
  style: string;
  container: string | null;
  sha256: string;
  recordCount: number;
}

export interface ImportSampleRow {
  recordIndex: number;
  start: number;
  end: number;
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
  predictions: number;
  runs: number[];
}

/**
 * Writes an import planned against `existing` (findSamplesByKeys for the same keys, read in
 * the same process just before: SQLite has one writer, and this is it).
 */
export function writeImport(db: WritableDB, files: readonly ImportFile[], existing: ReadonlyMap<string, ExistingSample>): ImportCounts {
  const counts: ImportCounts = { samplesAdded: 0, samplesMerged: 0, chainsAdded: 0, clipsAdded: 0, predictions: 0, runs: [] };
  const timestamp = now();
  // One transaction for every file: better-sqlite3 rolls back if anything throws, so a failed
  // import leaves no trace. Rows are written table by table with multi-row INSERTs: an import
  // is tens of thousands of rows, and per-row statements were most of its time.
  db.transaction(() => {
    const clipIds = writeClips(db, files, timestamp, counts);
    const samples = new Map<string, { id: number; hasChain: boolean }>(
      [...existing.values()].map((sample) => [sample.key, { id: sample.id, hasChain: sample.headText !== null }]),
    );
    for (const file of files) {
      const source = file.source;
      const sourceId = Number(
        statement(db, 'INSERT INTO sources(path, format, style, container, content, sha256, record_count, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          source.path, source.format, source.style, source.container, source.content, source.sha256, source.recordCount, timestamp,
        ).lastInsertRowid,
      );
      const runId = file.run
        ? Number(statement(db, 'INSERT INTO runs(kind, model, source_id, meta, created_at) VALUES (?, ?, ?, ?, ?)').run(file.run.kind, file.run.model, sourceId, file.run.meta, timestamp).lastInsertRowid)
        : null;
      if (runId !== null) counts.runs.push(runId);

      // New samples in file order; a sample gets its first chain from the first record with one.
      const seen = new Set<string>();
      const fresh = file.rows.filter((row) => {
        const isFresh = !samples.has(row.key) && !seen.has(row.key);
        seen.add(row.key);
        return isFresh;
      });
      const chained = new Map<string, ImportSampleRow>();
      for (const row of file.rows) {
        if (row.chain !== null && !chained.has(row.key) && !samples.get(row.key)?.hasChain) chained.set(row.key, row);
      }
      // Ids are known before the rows exist (SQLite gives max(rowid) + 1; insertRows checks),
      // so a new sample's first chain is written first and the sample is inserted with its
      // head already set: no second pass of UPDATEs over tens of thousands of samples.
      const nextId = (table: string) => ((statement<[], { m: number | null }>(db, `SELECT max(id) AS m FROM ${table}`).get()?.m) ?? 0) + 1;
      const firstSample = nextId('samples');
      const firstRevision = nextId('chain_revisions');
      fresh.forEach((row, index) => samples.set(row.key, { id: firstSample + index, hasChain: false }));
      const idOf = (row: ImportSampleRow) => (samples.get(row.key) as { id: number }).id;
      const chains = [...chained.values()];
      const headOf = new Map(chains.map((row, index) => [row.key, firstRevision + index]));
      const revisionIds = insertRows(
        db,
        'INSERT INTO chain_revisions(sample_id, parent_id, text, author_kind, author, created_at)',
        chains.map((row) => [idOf(row), null, row.chain, 'import', file.author, timestamp]),
        '',
        'chain_revisions',
      );
      const freshIds = insertRows(
        db,
        'INSERT INTO samples(key, clip_id, kind, problem_id, question, options, problem_type, answer, primitive, split, head_revision_id, created_at, updated_at)',
        fresh.map((row) => [
          row.key, row.clipName === null ? null : (clipIds.get(row.clipName) ?? null), row.kind, row.problemId, row.question, row.options,
          row.problemType, row.answer, row.primitive, row.split, headOf.get(row.key) ?? null, timestamp, timestamp,
        ]),
        '',
        'samples',
      );
      if (freshIds[0] !== undefined && freshIds[0] !== firstSample) throw new Error('sample ids moved during the import');
      if (revisionIds[0] !== undefined && revisionIds[0] !== firstRevision) throw new Error('chain revision ids moved during the import');
      counts.samplesAdded += fresh.length;
      const freshKeys = new Set(fresh.map((row) => row.key));
      const fill = statement(
        db,
        'UPDATE samples SET answer = coalesce(answer, ?), primitive = coalesce(primitive, ?), problem_id = coalesce(problem_id, ?) WHERE id = ?',
      );
      for (const row of file.rows) {
        if (freshKeys.has(row.key)) continue;
        fill.run(row.answer, row.primitive, row.problemId, idOf(row));
        counts.samplesMerged++;
      }
      const setHead = statement(db, 'UPDATE samples SET head_revision_id = ?, updated_at = ? WHERE id = ?');
      for (const row of chains) {
        if (!freshKeys.has(row.key)) setHead.run(headOf.get(row.key), timestamp, idOf(row));
        (samples.get(row.key) as { hasChain: boolean }).hasChain = true;
      }

      insertRows(
        db,
        'INSERT INTO sample_sources(source_id, record_index, sample_id, start_offset, end_offset)',
        file.rows.map((row) => [sourceId, row.recordIndex, idOf(row), row.start, row.end]),
      );
      // Indexing tens of thousands of chains for search costs more than the rest of the
      // import; it is done on the first search instead (db/chains.ts refreshSearchIndex).
      insertRows(db, 'INSERT OR IGNORE INTO chain_search_pending(sample_id)', chains.map((row) => [idOf(row)]));
      // New samples have no Library lint cache row yet (migration 4); merged ones are listed by
      // the trigger on the columns that change their lint.
      insertRows(db, 'INSERT OR IGNORE INTO sample_lint_pending(sample_id)', fresh.map((row) => [idOf(row)]));
      counts.chainsAdded += chains.length;

      if (runId !== null) {
        const predictions = new Map<number, unknown[]>();
        for (const row of file.rows) {
          const p = row.prediction;
          if (p) predictions.set(idOf(row), [runId, idOf(row), p.output, p.prediction, p.accuracy, p.score, p.error]);
        }
        insertRows(db, 'INSERT INTO predictions(run_id, sample_id, output, prediction, accuracy, score, error)', [...predictions.values()]);
        counts.predictions += predictions.size;
      }
    }
  })();
  return counts;
}

function writeClips(db: WritableDB, files: readonly ImportFile[], timestamp: string, counts: ImportCounts): Map<string, number> {
  const clips = new Map<string, unknown[]>();
  for (const file of files) {
    for (const row of file.rows) {
      if (row.clipName !== null && !clips.has(row.clipName)) {
        clips.set(row.clipName, [row.clipName, row.clipRef, row.clipPath, row.clipPath ? 'ok' : 'missing', timestamp]);
      }
    }
  }
  const before = (statement<[], { n: number }>(db, 'SELECT count(*) AS n FROM clips').get() as { n: number }).n;
  insertRows(db, 'INSERT INTO clips(name, ref, file_path, media_status, created_at)', [...clips.values()], 'ON CONFLICT(name) DO NOTHING');
  counts.clipsAdded += (statement<[], { n: number }>(db, 'SELECT count(*) AS n FROM clips').get() as { n: number }).n - before;
  const ids = statement<[string], { id: number; name: string }>(db, 'SELECT c.id, c.name FROM json_each(?) AS k JOIN clips c ON c.name = k.value').all(
    JSON.stringify([...clips.keys()]),
  );
  return new Map(ids.map((row) => [row.name, row.id]));
}
