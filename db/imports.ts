// Writing one import: every file of one `frustum import` in a single transaction, so a bad
// record anywhere leaves the project exactly as it was (all-or-nothing, DESIGN.md: Formats).
import type { ReadableDB, WritableDB } from './connection';
import { recordTextsOfSamples } from './sources';
import { insertRows, now, statement } from './statements';
import { writeTransaction } from './writers';

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
  /**
   * The same text as UTF-8 bytes, when the caller has them (the file as read, less any byte order
   * mark): stored as they are, which spares converting megabytes of JavaScript string.
   */
  contentUtf8?: Uint8Array;
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
  /** Real path of the folder clipPath was found in, which the file must stay inside (migration 5). */
  clipRoot: string | null;
  /** Why the clip is missing (not found, outside its folder, not a regular file), when clipPath is null. */
  clipError: string | null;
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

/** A benchmark item a file names (migration 10), new to the project: its sample is the one with this key. */
export interface ImportBenchmarkItem {
  key: string;
  benchmark: string;
  itemKey: string;
  split: string;
  task: string | null;
  groupKey: string | null;
  role: string | null;
  reference: string | null;
  /** JSON object. */
  meta: string;
}

export interface ImportFile {
  source: ImportSource;
  rows: ImportSampleRow[];
  /**
   * Items to add, after the rows' samples: a record whose sample is unchanged (already in the
   * project) has no row but may still name an item the project lacks.
   */
  benchmarkItems: ImportBenchmarkItem[];
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
  /** Benchmark items added (migration 10). */
  benchmarkItems: number;
}

/**
 * Writes an import planned against `existing` (findSamplesByKeys for the same keys), which must
 * have been read inside the same write transaction: other programs write the project too, and
 * only the write lock keeps the plan true (backend/formats/importFiles.ts begins it).
 */
export function writeImport(db: WritableDB, files: readonly ImportFile[], existing: ReadonlyMap<string, ExistingSample>): ImportCounts {
  const counts: ImportCounts = { samplesAdded: 0, samplesMerged: 0, chainsAdded: 0, clipsAdded: 0, predictions: 0, runs: [], benchmarkItems: 0 };
  const timestamp = now();
  // One transaction for every file: better-sqlite3 rolls back if anything throws, so a failed
  // import leaves no trace. Rows are written table by table with multi-row INSERTs: an import
  // is tens of thousands of rows, and per-row statements were most of its time. IMMEDIATE when
  // alone (db/writers.ts): the ids new rows get (max(id) + 1, below) are read under the lock.
  writeTransaction(db, () => {
    const clipIds = writeClips(db, files, timestamp, counts);
    const samples = new Map<string, { id: number; hasChain: boolean }>();
    for (const sample of existing.values()) samples.set(sample.key, { id: sample.id, hasChain: sample.headText !== null });
    for (const file of files) {
      const source = file.source;
      const sourceId = Number(
        statement(
          db,
          'INSERT INTO sources(path, format, style, container, content, sha256, record_count, imported_at) VALUES (?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?)',
        ).run(source.path, source.format, source.style, source.container, source.contentUtf8 ?? source.content, source.sha256, source.recordCount, timestamp)
          .lastInsertRowid,
      );
      const runId = file.run
        ? Number(statement(db, 'INSERT INTO runs(kind, model, source_id, meta, created_at) VALUES (?, ?, ?, ?, ?)').run(file.run.kind, file.run.model, sourceId, file.run.meta, timestamp).lastInsertRowid)
        : null;
      if (runId !== null) counts.runs.push(runId);

      // Ids are known before the rows exist (SQLite gives max(rowid) + 1; insertRows checks),
      // so a new sample's first chain is written first and the sample is inserted with its
      // head already set: no second pass of UPDATEs over tens of thousands of samples.
      const nextId = (table: string) => ((statement<[], { m: number | null }>(db, `SELECT max(id) AS m FROM ${table}`).get()?.m) ?? 0) + 1;
      const firstSample = nextId('samples');
      const firstRevision = nextId('chain_revisions');
      // Each row's sample, in one pass: new samples get ids in file order (so a sample is new to
      // this file when its id is firstSample or above); a sample gets its first chain from the
      // first record with one (when it has none yet).
      const rows = file.rows;
      const sampleIds = new Array<number>(rows.length);
      const firstOfSample = new Array<boolean>(rows.length);
      const chains: Array<{ row: ImportSampleRow; sampleId: number }> = [];
      let freshCount = 0;
      for (let index = 0; index < rows.length; index++) {
        const row = rows[index] as ImportSampleRow;
        let sample = samples.get(row.key);
        firstOfSample[index] = sample === undefined;
        if (sample === undefined) {
          sample = { id: firstSample + freshCount++, hasChain: false };
          samples.set(row.key, sample);
        }
        sampleIds[index] = sample.id;
        if (row.chain !== null && !sample.hasChain) {
          chains.push({ row, sampleId: sample.id });
          sample.hasChain = true;
        }
      }
      const headOf = new Map<number, number>();
      const revisionValues: unknown[] = [];
      chains.forEach(({ row, sampleId }, index) => {
        headOf.set(sampleId, firstRevision + index);
        revisionValues.push(sampleId, null, row.chain);
      });
      // What every row of the file shares goes into the statement as literals (db/statements.ts).
      const firstRevisionId = insertRows(
        db,
        'INSERT INTO chain_revisions(sample_id, parent_id, text, author_kind, author, created_at)',
        [null, null, null, 'import', file.author, timestamp],
        revisionValues,
        '',
        'chain_revisions',
      );
      const freshIds: number[] = [];
      for (let index = 0; index < rows.length; index++) if (firstOfSample[index]) freshIds.push(sampleIds[index] as number);
      // Kind and split are the file's, and datasets often repeat one option list and problem type:
      // each is a literal when every row has the same (db/statements.ts).
      const firstFresh = rows[firstOfSample.indexOf(true)];
      const common = (field: 'kind' | 'split' | 'options' | 'problemType'): string | null =>
        firstFresh !== undefined && rows.every((row) => row[field] === firstFresh[field]) ? firstFresh[field] : null;
      const kind = common('kind');
      const split = common('split');
      const options = common('options');
      const problemType = common('problemType');
      const sampleValues: unknown[] = [];
      for (let index = 0; index < rows.length; index++) {
        if (!firstOfSample[index]) continue;
        const row = rows[index] as ImportSampleRow;
        sampleValues.push(row.key, row.clipName === null ? null : (clipIds.get(row.clipName) ?? null));
        if (kind === null) sampleValues.push(row.kind);
        sampleValues.push(row.problemId, row.question);
        if (options === null) sampleValues.push(row.options);
        if (problemType === null) sampleValues.push(row.problemType);
        sampleValues.push(row.answer, row.primitive);
        if (split === null) sampleValues.push(row.split);
        sampleValues.push(headOf.get(sampleIds[index] as number) ?? null);
      }
      const firstSampleId = insertRows(
        db,
        'INSERT INTO samples(key, clip_id, kind, problem_id, question, options, problem_type, answer, primitive, split, head_revision_id, created_at, updated_at)',
        [null, null, kind, null, null, options, problemType, null, null, split, null, timestamp, timestamp],
        sampleValues,
        '',
        'samples',
      );
      if (firstSampleId !== null && firstSampleId !== firstSample) throw new Error('sample ids moved during the import');
      if (firstRevisionId !== null && firstRevisionId !== firstRevision) throw new Error('chain revision ids moved during the import');
      counts.samplesAdded += freshCount;
      const fill = statement(
        db,
        'UPDATE samples SET answer = coalesce(answer, ?), primitive = coalesce(primitive, ?), problem_id = coalesce(problem_id, ?) WHERE id = ?',
      );
      for (let index = 0; index < rows.length; index++) {
        if ((sampleIds[index] as number) >= firstSample) continue;
        const row = rows[index] as ImportSampleRow;
        fill.run(row.answer, row.primitive, row.problemId, sampleIds[index]);
        counts.samplesMerged++;
      }
      const setHead = statement(db, 'UPDATE samples SET head_revision_id = ?, updated_at = ? WHERE id = ?');
      for (const { sampleId } of chains) if (sampleId < firstSample) setHead.run(headOf.get(sampleId), timestamp, sampleId);

      const spanValues = new Array<unknown>(rows.length * 5);
      for (let index = 0; index < rows.length; index++) {
        const row = rows[index] as ImportSampleRow;
        spanValues[5 * index] = sourceId;
        spanValues[5 * index + 1] = row.recordIndex;
        spanValues[5 * index + 2] = sampleIds[index];
        spanValues[5 * index + 3] = row.start;
        spanValues[5 * index + 4] = row.end;
      }
      insertRows(db, 'INSERT INTO sample_sources(source_id, record_index, sample_id, start_offset, end_offset)', 5, spanValues);
      // Indexing tens of thousands of chains for search costs more than the rest of the
      // import; it is done on the first search instead (db/chains.ts refreshSearchIndex).
      insertRows(db, 'INSERT OR IGNORE INTO chain_search_pending(sample_id)', 1, chains.map(({ sampleId }) => sampleId));
      // New samples have no Library lint cache row yet (migration 4); merged ones are listed by
      // the trigger on the columns that change their lint.
      insertRows(db, 'INSERT OR IGNORE INTO sample_lint_pending(sample_id)', 1, freshIds);
      counts.chainsAdded += chains.length;

      // Every sample a file's items name is in `samples` by now: the project's (`existing`), or
      // written above for this file or an earlier one of the import.
      // A file's items share their benchmark and, mostly, their meta: literals when all do (db/statements.ts).
      const items = file.benchmarkItems;
      const sharedBenchmark = items.every((item) => item.benchmark === items[0]?.benchmark) ? (items[0]?.benchmark ?? null) : null;
      const sharedMeta = items.every((item) => item.meta === items[0]?.meta) ? (items[0]?.meta ?? null) : null;
      const itemValues: unknown[] = [];
      for (const item of items) {
        const sample = samples.get(item.key);
        if (sample === undefined) throw new Error(`benchmark item ${item.benchmark} ${item.itemKey} names a sample the import did not write`);
        if (sharedBenchmark === null) itemValues.push(item.benchmark);
        itemValues.push(item.itemKey, sample.id, item.split, item.task, item.groupKey, item.role, item.reference);
        if (sharedMeta === null) itemValues.push(item.meta);
      }
      insertRows(
        db,
        'INSERT INTO benchmark_items(benchmark, item_key, sample_id, split, task, group_key, role, reference, meta)',
        [sharedBenchmark, null, null, null, null, null, null, null, sharedMeta],
        itemValues,
      );
      counts.benchmarkItems += items.length;

      if (runId !== null) {
        const predictions = new Map<number, unknown[]>();
        for (let index = 0; index < rows.length; index++) {
          const p = (rows[index] as ImportSampleRow).prediction;
          const sampleId = sampleIds[index] as number;
          if (p) predictions.set(sampleId, [runId, sampleId, p.output, p.prediction, p.accuracy, p.score, p.error]);
        }
        insertRows(db, 'INSERT INTO predictions(run_id, sample_id, output, prediction, accuracy, score, error)', 7, [...predictions.values()].flat());
        counts.predictions += predictions.size;
      }
    }
  });
  return counts;
}

function writeClips(db: WritableDB, files: readonly ImportFile[], timestamp: string, counts: ImportCounts): Map<string, number> {
  const clips = new Map<string, ImportSampleRow>();
  for (const file of files) {
    for (const row of file.rows) {
      if (row.clipName !== null && !clips.has(row.clipName)) clips.set(row.clipName, row);
    }
  }
  const values: unknown[] = [];
  for (const row of clips.values()) values.push(row.clipName, row.clipRef, row.clipPath, row.clipRoot, row.clipPath ? 'ok' : 'missing', row.clipPath ? null : row.clipError);
  const before = (statement<[], { n: number }>(db, 'SELECT count(*) AS n FROM clips').get() as { n: number }).n;
  insertRows(
    db,
    'INSERT INTO clips(name, ref, file_path, media_root, media_status, media_error, created_at)',
    [null, null, null, null, null, null, timestamp],
    values,
    'ON CONFLICT(name) DO NOTHING',
  );
  counts.clipsAdded += (statement<[], { n: number }>(db, 'SELECT count(*) AS n FROM clips').get() as { n: number }).n - before;
  const ids = statement<[string], { id: number; name: string }>(db, 'SELECT c.id, c.name FROM json_each(?) AS k JOIN clips c ON c.name = k.value').all(
    JSON.stringify([...clips.keys()]),
  );
  return new Map(ids.map((row) => [row.name, row.id]));
}
