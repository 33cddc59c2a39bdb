// A training run's dataset, frozen: the samples a Library filter chose, exported in the format
// the trainer reads (LLaMA-Factory's sharegpt SFT file with its dataset_info.json, or EasyR1 RL
// records with a held-out validation file), every video reachable under the run's media/ folder,
// and a content hash over the files. Edits made in the studio after the run started change
// nothing the trainer reads; the hash says which snapshot a job, its checkpoints and later
// evaluations came from.
import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type { LibraryFilter } from '../../common/api/contract';
import { UsageError } from '../../common/errors';
import type { WritableDB } from '../../db/connection';
import { sampleIdsMatching, toSampleFilter } from '../../db/library';
import { clipsOfSamples, splitCounts } from '../../db/trainerOutput';
import { datasetInfoEntry, datasetInfoText, renderRecords } from '../formats/exportFiles';
import { confinedClipFile, isRefusal } from '../media/confine';

export type Objective = 'sft' | 'grpo';

export const SFT_DATASET = 'frustum_sft';
export const RL_TRAIN_FILE = 'data/frustum_rl.json';
export const RL_VAL_FILE = 'data/frustum_rl_val.json';
/** EasyR1's answer_key: the reference answer with the sample it belongs to, as JSON (reward.py reads it; rollouts then name their prompt). */
export const TARGET_KEY = 'frustum_target';
/** Held out for EasyR1's validation when the filter's samples have no "val"/"test" split: 5 %, at most 64. */
const HELD_OUT_SHARE = 0.05;
const HELD_OUT_MAX = 64;

export interface SnapshotFile {
  /** Relative to the run folder. */
  path: string;
  text: string;
}

export interface MediaLink {
  /** Relative to the run's media/ folder: the path the records name. */
  link: string;
  /** The clip's real file (confined to its media folder). */
  target: string;
}

export interface Snapshot {
  objective: Objective;
  filter: LibraryFilter;
  hash: string;
  /** Training samples, in file order. */
  sampleIds: number[];
  /** EasyR1's validation samples (none for SFT). */
  valSampleIds: number[];
  files: SnapshotFile[];
  media: MediaLink[];
  notes: string[];
}

/** The samples a run trains on unless told: every sample not rejected, of split "train" when the project has one. */
function defaultTrainFilter(db: WritableDB): LibraryFilter {
  const hasTrainSplit = (splitCounts(db).get('train') ?? 0) > 0;
  return { status: ['draft', 'reviewed', 'accepted'], ...(hasTrainSplit ? { split: ['train'] } : {}) };
}

export function freezeSnapshot(db: WritableDB, objective: Objective, filter: LibraryFilter = defaultTrainFilter(db)): Snapshot {
  const chosen = sampleIdsMatching(db, toSampleFilter(filter), { key: 'id', direction: 'asc' }, null);
  const notes: string[] = [];
  if (objective === 'sft') {
    const rendered = exportedRecords(db, 'sft', chosen, notes);
    if (rendered.records.length === 0) throw new UsageError(noRecordsMessage('SFT records (samples with an O-T-A chain and a clip on disk)', filter, chosen.length, notes));
    const media = linkVideos([rendered]);
    const files: SnapshotFile[] = [
      { path: `data/${SFT_DATASET}.json`, text: recordsText(rendered.records) },
      { path: 'data/dataset_info.json', text: datasetInfoText({ [SFT_DATASET]: datasetInfoEntry(`${SFT_DATASET}.json`) }) },
    ];
    return { objective, filter, hash: hashOf(files), sampleIds: rendered.sampleIds, valSampleIds: [], files, media, notes };
  }

  // GRPO: validation from the filter's "val"/"test" samples (any split otherwise matching), else held out of the training ones.
  const { split: _split, ...anySplit } = filter;
  const evaluation = sampleIdsMatching(db, toSampleFilter({ ...anySplit, split: ['val', 'test'] }), { key: 'id', direction: 'asc' }, null)
    .filter((id) => !chosen.includes(id));
  const train = exportedRecords(db, 'rl', chosen, notes);
  if (train.records.length === 0) throw new UsageError(noRecordsMessage('RL records (samples with a reference answer and a clip on disk)', filter, chosen.length, notes));
  let val = evaluation.length > 0 ? exportedRecords(db, 'rl', evaluation, notes) : null;
  if (val === null || val.records.length === 0) {
    const count = Math.min(HELD_OUT_MAX, Math.max(1, Math.round(train.records.length * HELD_OUT_SHARE)));
    if (train.records.length < 2) throw new UsageError('GRPO needs at least 2 RL records (one is held out for validation)');
    val = { records: train.records.splice(-count), sampleIds: train.sampleIds.splice(-count), clips: train.clips };
    notes.push(`no "val" or "test" samples: the last ${count} training records are held out for validation`);
  } else {
    notes.push(`${val.records.length} validation records from the "val"/"test" split`);
  }
  const media = linkVideos([train, val]);
  const withTargets = (records: Array<Record<string, unknown>>, ids: number[], split: string) =>
    records.map((record, index) => ({ ...record, [TARGET_KEY]: JSON.stringify({ answer: String(record['answer'] ?? ''), sample: ids[index], split }) }));
  const files: SnapshotFile[] = [
    { path: RL_TRAIN_FILE, text: recordsText(withTargets(train.records, train.sampleIds, 'train')) },
    { path: RL_VAL_FILE, text: recordsText(withTargets(val.records, val.sampleIds, 'val')) },
  ];
  return { objective, filter, hash: hashOf(files), sampleIds: train.sampleIds, valSampleIds: val.sampleIds, files, media, notes };
}

function noRecordsMessage(what: string, filter: LibraryFilter, matched: number, notes: readonly string[]): string {
  return `no ${what} among the ${matched} samples the filter ${JSON.stringify(filter)} matches${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`;
}

interface ExportedRecords {
  records: Array<Record<string, unknown>>;
  sampleIds: number[];
  /** Each sample's clip file, confined. */
  clips: Map<number, string>;
}

/** The exporter's records for these samples, as objects, leaving out those whose clip cannot be read (the trainer would stop on them). */
function exportedRecords(db: WritableDB, format: 'sft' | 'rl', sampleIds: readonly number[], notes: string[]): ExportedRecords {
  const rendered = renderRecords(db, { format, sampleIds: new Set(sampleIds) });
  for (const skipped of rendered.report.skipped) notes.push(`${skipped.count} sample(s) left out: ${skipped.reason}`);
  const parsed = parseRecords(rendered.body);
  const clips = new Map<number, string>();
  // One check per clip, however many samples ask the same question of it.
  const fileOfClip = new Map<number, string | null>();
  const unreadableNames: string[] = [];
  let unreadableSamples = 0;
  for (const row of clipsOfSamples(db, rendered.sampleIds)) {
    if (!fileOfClip.has(row.id)) {
      const file = confinedClipFile(db, row);
      fileOfClip.set(row.id, isRefusal(file) ? null : file.realPath);
      if (isRefusal(file)) unreadableNames.push(row.name);
    }
    const file = fileOfClip.get(row.id) ?? null;
    if (file === null) unreadableSamples++;
    else clips.set(row.sample_id, file);
  }
  const kept: ExportedRecords = { records: [], sampleIds: [], clips };
  for (const [index, record] of parsed.entries()) {
    const sampleId = rendered.sampleIds[index] as number;
    if (!clips.has(sampleId)) continue;
    kept.records.push(record);
    kept.sampleIds.push(sampleId);
  }
  if (unreadableNames.length > 0) {
    const shown = unreadableNames.slice(0, 3);
    notes.push(`${unreadableSamples} sample(s) left out: ${unreadableNames.length} clip(s) not on disk (${shown.join(', ')}${unreadableNames.length > shown.length ? ', …' : ''}); relink them in the Library`);
  }
  return kept;
}

/** The exporter writes a JSON array or JSON lines (the style of the file the records came from). */
function parseRecords(body: string): Array<Record<string, unknown>> {
  const trimmed = body.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as Array<Record<string, unknown>>;
  return trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Indent 2, non-ASCII kept: how LLaMA-Factory and EasyR1 datasets are conventionally written. */
function recordsText(records: ReadonlyArray<Record<string, unknown>>): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/**
 * Every record's videos resolve under the run's media/ folder (the trainers' media_dir /
 * image_dir): a relative path the record gives is linked as it is; an absolute or escaping one,
 * or one two clips would share, is rewritten to clips/<clip file name>.
 */
function linkVideos(sets: readonly ExportedRecords[]): MediaLink[] {
  const links = new Map<string, string>();
  for (const { records, sampleIds, clips } of sets) {
    for (const [index, record] of records.entries()) {
      const target = clips.get(sampleIds[index] as number);
      const videos = record['videos'];
      if (target === undefined || !Array.isArray(videos)) continue;
      record['videos'] = videos.map((video: unknown) => {
        if (typeof video !== 'string') return video;
        const safe = safeRelative(video);
        const link = safe !== null && (links.get(safe) ?? target) === target ? safe : `clips/${basename(target)}`;
        links.set(link, target);
        return link;
      });
    }
  }
  return [...links.entries()].map(([link, target]) => ({ link, target }));
}

function safeRelative(path: string): string | null {
  if (path === '' || path.includes('\0') || isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path)) return null;
  const normalized = normalize(path);
  if (normalized === '..' || normalized.startsWith(`..${sep}`) || normalized === '.') return null;
  return normalized;
}

function hashOf(files: readonly SnapshotFile[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.path).update('\0').update(file.text).update('\0');
  return hash.digest('hex');
}

/** Writes the snapshot's files and media links into the run folder, and snapshot.json describing it. */
export function writeSnapshot(runFolder: string, snapshot: Snapshot): void {
  for (const file of snapshot.files) {
    const path = join(runFolder, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
  }
  for (const { link, target } of snapshot.media) {
    const path = join(runFolder, 'media', link);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path);
  }
  const description = {
    hash: snapshot.hash,
    objective: snapshot.objective,
    filter: snapshot.filter,
    samples: snapshot.sampleIds.length,
    sampleIds: snapshot.sampleIds,
    valSampleIds: snapshot.valSampleIds,
    files: snapshot.files.map((file) => file.path),
    notes: snapshot.notes,
    createdAt: new Date().toISOString(),
  };
  writeFileSync(join(runFolder, 'snapshot.json'), `${JSON.stringify(description, null, 2)}\n`);
}
