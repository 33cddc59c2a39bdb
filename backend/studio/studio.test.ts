// The studio's services through the in-process client (the same door as IPC and WebSocket:
// requests and responses validated), on a real project file with real clips.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient, type EventPayload, type LibraryFilter, type LibrarySort } from '../../common/api/contract';
import { appendRevision } from '../../db/chains';
import { openProject } from '../../db/connection';
import { frustumJson } from '../../tests/support/cli';
import { buildStudioProject, copyProject, STUDIO_SAMPLES } from '../../tests/support/studioProject';
import { tempDir, track } from '../../tests/support/tempDir';
import { ftsQuery } from '../../db/library';
import { chainWords } from '../facts/lintCache';
import { waitForJob } from '../../common/api/waitForJob';
import { createInProcessClient } from './inProcessClient';
import { openStudio, type Studio } from './studio';

let fixture: string;
let builtProject: string;
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'frustum-studio-'));
  builtProject = await buildStudioProject(fixture);
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

let studio: Studio | null = null;
afterEach(async () => {
  await studio?.close();
  studio = null;
});

const byId: LibrarySort = { key: 'id', direction: 'asc' };
const mediaUrls = {
  video: (id: number) => `test://clip/${id}`,
  frameTemplate: (id: number) => `test://clip/${id}/{index}`,
  filmstrip: (id: number) => `test://clip/${id}/strip`,
};

function open(): { client: ApiClient; project: string; events: Array<{ event: string; payload: unknown }> } {
  const folder = tempDir();
  const project = copyProject(builtProject, folder);
  studio = openStudio({ projectPath: project, host: 'in-process', mediaUrls, author: 'tester', cacheRoot: join(folder, 'cache'), log: () => undefined });
  const events: Array<{ event: string; payload: unknown }> = [];
  studio.onAny((event, payload) => events.push({ event, payload }));
  return { client: createInProcessClient(studio), project, events };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('library', () => {
  it('pages, counts and sorts every sample', async () => {
    const { client } = open();
    const first = await client.call('library.query', { filter: {}, sort: byId, offset: 0, limit: 10 });
    expect(first.total).toBe(STUDIO_SAMPLES);
    expect(first.rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.rows[0]).toMatchObject({ clipName: 'sft_0.mp4', kind: 'sft', status: 'draft', split: 'train', lint: [], contradictions: 0 });
    expect(first.rows[0]?.chainLength).toBeGreaterThan(10);
    const last = await client.call('library.query', { filter: {}, sort: { key: 'id', direction: 'desc' }, offset: 28, limit: 10 });
    expect(last.rows.map((row) => row.id)).toEqual([2, 1]);
    const byLength = await client.call('library.ids', { filter: {}, sort: { key: 'chainLength', direction: 'asc' } });
    const rows = (await client.call('library.query', { filter: {}, sort: { key: 'chainLength', direction: 'asc' }, offset: 0, limit: 100 })).rows;
    expect(rows.map((row) => row.id)).toEqual(byLength.ids);
    expect(rows.map((row) => row.chainLength)).toEqual([...rows.map((row) => row.chainLength)].sort((a, b) => a - b));
  });

  it('filters by status, split, kind, primitive, answer, tag, source, clip and ids (AND across fields)', async () => {
    const { client } = open();
    const count = async (filter: LibraryFilter) =>
      (await client.call('library.query', { filter, sort: byId, offset: 0, limit: 1 })).total;
    await client.call('library.bulkUpdate', { ids: [1, 2, 3], status: 'accepted', addTags: ['good', 'checked'] });
    await client.call('library.bulkUpdate', { ids: [3, 4], split: 'test', addTags: ['odd'] });
    await client.call('library.bulkUpdate', { ids: [3], removeTags: ['checked'] });
    expect(await count({ status: ['accepted'] })).toBe(3);
    expect(await count({ status: ['accepted', 'draft'] })).toBe(STUDIO_SAMPLES);
    expect(await count({ status: ['accepted'], split: ['test'] })).toBe(1);
    expect(await count({ kind: ['rl'] })).toBe(0);
    expect(await count({ primitive: ['Move_In'] })).toBe(2);
    expect(await count({ tag: ['good'] })).toBe(3);
    expect(await count({ tag: ['checked'] })).toBe(2);
    expect(await count({ tag: ['odd', 'checked'] })).toBe(4);
    expect(await count({ sampleIds: [5, 6, 999] })).toBe(2);
    expect(await count({ source: [join(fixture, 'sft.json')] })).toBe(STUDIO_SAMPLES);
    expect(await count({ source: ['/elsewhere.json'] })).toBe(0);
    // Samples 3 and 4 moved to test while their clip's other samples stay in train: a leak.
    expect(await count({ clipInSeveralSplits: true })).toBe(15);
    expect(await count({ clipInSeveralSplits: false })).toBe(15);
    const answers = (await client.call('library.facets', { filter: {} })).answer;
    for (const [letter, n] of Object.entries(answers)) expect(await count({ answer: [letter] })).toBe(n);
    const sample = await client.call('sample.get', { id: 3 });
    expect(sample.tags).toEqual(['good', 'odd']);
    expect(sample.status).toBe('accepted');
  });

  it('searches chains with FTS, safely for any input', async () => {
    const { client } = open();
    const all = (await client.call('library.query', { filter: {}, sort: byId, offset: 0, limit: 100 })).total;
    const evidence = (await client.call('library.query', { filter: { search: 'evidence' }, sort: byId, offset: 0, limit: 100 })).total;
    expect(evidence).toBeGreaterThan(0);
    expect(evidence).toBeLessThanOrEqual(all);
    const prefix = (await client.call('library.query', { filter: { search: 'evid' }, sort: byId, offset: 0, limit: 100 })).total;
    expect(prefix).toBe(evidence);
    for (const junk of ['"', 'AND OR NOT', '*', '(', 'NEAR(a b', '"unclosed phrase', ':', '^', '   ', 'col:umn']) {
      const result = await client.call('library.query', { filter: { search: junk }, sort: byId, offset: 0, limit: 5 });
      expect(result.total, junk).toBeGreaterThanOrEqual(0);
    }
    await client.call('sample.saveChain', { id: 7, text: '<observation>zebra crossing</observation><think>x</think><answer>A</answer>', parentRevisionId: (await client.call('sample.get', { id: 7 })).head?.id ?? null });
    expect((await client.call('library.ids', { filter: { search: 'zebra' }, sort: byId })).ids).toEqual([7]);
    expect((await client.call('library.ids', { filter: { search: '"zebra crossing"' }, sort: byId })).ids).toEqual([7]);
  });

  it('filters by lint codes from the cache, which follows every save', async () => {
    const { client } = open();
    const flaggedBefore = (await client.call('library.ids', { filter: { lint: ['any'] }, sort: byId })).ids;
    const clean = (await client.call('library.ids', { filter: { lint: ['none'] }, sort: byId })).ids;
    expect(flaggedBefore.length + clean.length).toBe(STUDIO_SAMPLES);
    const target = clean[0] ?? 0;
    const head = (await client.call('sample.get', { id: target })).head;
    await client.call('sample.saveChain', { id: target, text: '<observation>the view drifts</observation><answer>Z</answer>', parentRevisionId: head?.id ?? null });
    const flagged = await client.call('library.query', { filter: { lint: ['any'] }, sort: byId, offset: 0, limit: 100 });
    expect(flagged.rows.map((row) => row.id)).toEqual([...flaggedBefore, target].sort((a, b) => a - b));
    expect(flagged.rows.find((row) => row.id === target)?.lint).toEqual(expect.arrayContaining(['missing-tag', 'answer-not-an-option']));
    expect((await client.call('library.ids', { filter: { lint: ['missing-tag'] }, sort: byId })).ids).toEqual([target]);
    expect((await client.call('library.ids', { filter: { lint: ['none'] }, sort: byId })).ids).not.toContain(target);
    for (const row of flagged.rows) {
      for (const code of row.lint) expect((await client.call('library.ids', { filter: { lint: [code] }, sort: byId })).ids).toContain(row.id);
    }
    const facets = await client.call('library.facets', { filter: {} });
    expect(facets.lint['missing-tag']).toBe(1);
    expect(facets.status).toEqual({ draft: STUDIO_SAMPLES });
  });

  it('sees writes made by another connection (the CLI) without a restart', async () => {
    const { client, project } = open();
    const other = track(openProject(project));
    appendRevision(other, 9, '<observation>x</observation><think>y</think>', { kind: 'person', name: 'cli' });
    other.close();
    expect((await client.call('library.ids', { filter: { lint: ['missing-tag'] }, sort: byId })).ids).toEqual([9]);
  });

  it('saves, lists and deletes views', async () => {
    const { client } = open();
    await client.call('views.save', { name: 'accepted test', filter: { status: ['accepted'], split: ['test'] }, sort: { key: 'updated', direction: 'desc' } });
    await client.call('views.save', { name: 'accepted test', filter: { status: ['accepted'] }, sort: byId });
    await client.call('views.save', { name: 'all', filter: {}, sort: byId });
    expect((await client.call('views.list', {})).views).toEqual([
      { name: 'accepted test', filter: { status: ['accepted'] }, sort: byId },
      { name: 'all', filter: {}, sort: byId },
    ]);
    await client.call('views.delete', { name: 'all' });
    expect((await rejection(client.call('views.delete', { name: 'all' }))).code).toBe('not-found');
    expect((await client.call('views.list', {})).views.map((view) => view.name)).toEqual(['accepted test']);
  });

  it('bulk-updates in one go and tells every listener', async () => {
    const { client, events } = open();
    const ids = (await client.call('library.ids', { filter: { primitive: ['Pan_Left', 'Pan_Right'] }, sort: byId })).ids;
    expect(await client.call('library.bulkUpdate', { ids: [...ids, 12345], status: 'rejected' })).toEqual({
      updated: ids.length,
      previous: [{ status: 'draft', split: 'train', tags: [], ids }],
    });
    expect(events).toContainEqual({ event: 'samples.changed', payload: { ids, reason: 'bulk' } });
    expect((await rejection(client.call('library.bulkUpdate', { ids: [1] }))).code).toBe('bad-request');
  });

  it("undoes a bulk change: each sample back to its own status, split and tags", async () => {
    const { client, events } = open();
    await client.call('library.bulkUpdate', { ids: [1, 2], status: 'accepted', addTags: ['good'] });
    await client.call('library.bulkUpdate', { ids: [2, 3], split: 'test' });
    const rows = async () => (await client.call('library.query', { filter: {}, sort: byId, offset: 0, limit: 5 })).rows.map(({ id, status, split, tags }) => ({ id, status, split, tags }));
    const before = await rows();
    const change = await client.call('library.bulkUpdate', { ids: [1, 2, 3, 4], status: 'rejected', split: 'val', addTags: ['bad'], removeTags: ['good'] });
    expect(change.previous.flatMap((group) => group.ids).sort()).toEqual([1, 2, 3, 4]);
    expect((await rows()).slice(0, 4).every((row) => row.status === 'rejected' && row.split === 'val')).toBe(true);
    events.length = 0;
    expect(await client.call('library.restore', { samples: change.previous })).toEqual({ restored: 4 });
    expect(await rows()).toEqual(before);
    expect(events).toContainEqual({ event: 'samples.changed', payload: { ids: [1, 2, 3, 4], reason: 'bulk' } });
    // One sample named with two states: refused, nothing written.
    const twice = rejection(client.call('library.restore', { samples: [{ status: 'draft', split: 'train', tags: [], ids: [1] }, { status: 'accepted', split: 'train', tags: [], ids: [1] }] }));
    expect((await twice).code).toBe('bad-request');
    expect((await rejection(client.call('library.restore', { samples: [{ status: 'nope', split: 'train', tags: [], ids: [1] }] as never }))).code).toBe('bad-request');
    expect(await rows()).toEqual(before);
  });

  it('counts each facet under the other active filters, not its own', async () => {
    const { client } = open();
    await client.call('library.bulkUpdate', { ids: [1, 2, 3, 4, 5], status: 'accepted' });
    await client.call('library.bulkUpdate', { ids: [4, 5, 6], split: 'test' });
    const count = async (filter: LibraryFilter) => (await client.call('library.query', { filter, sort: byId, offset: 0, limit: 1 })).total;
    const filter: LibraryFilter = { status: ['accepted'], split: ['train'] };
    const facets = await client.call('library.facets', { filter });
    // Status counted under split=train only; split under status=accepted only.
    expect(facets.status).toEqual({ accepted: await count({ status: ['accepted'], split: ['train'] }), draft: await count({ status: ['draft'], split: ['train'] }) });
    expect(facets.split).toEqual({ train: 3, test: 2 });
    for (const [primitive, n] of Object.entries(facets.primitive)) expect(n).toBe(await count({ ...filter, primitive: [primitive as 'Static'] }));
    expect(Object.values(facets.primitive).reduce((sum, n) => sum + n, 0)).toBe(await count(filter));
    expect(facets.media).toEqual({ ok: 3 });
    expect((await client.call('library.facets', { filter: {} })).media).toEqual({ ok: STUDIO_SAMPLES });
    // The search box's text becomes a safe FTS query here as in library.query.
    const searched = await client.call('library.facets', { filter: { search: 'evidence', status: ['accepted'] } });
    expect(Object.values(searched.status).reduce((sum, n) => sum + n, 0)).toBe(await count({ search: 'evidence' }));
  });
});

describe('review', () => {
  it('returns the sample with its clip, sources and head chain', async () => {
    const { client } = open();
    const sample = await client.call('sample.get', { id: 1 });
    expect(sample).toMatchObject({ id: 1, kind: 'sft', options: ['A. No', 'B. Yes'], primitive: 'Move_In', revisionCount: 1, contradictions: [] });
    expect(sample.clip).toMatchObject({ id: 1, name: 'sft_0.mp4', mediaStatus: 'ok', fps: 25, width: 64, height: 48, splits: ['train'] });
    expect(sample.head).toMatchObject({ parentId: null, authorKind: 'import' });
    expect(sample.sources).toEqual([join(fixture, 'sft.json')]);
    expect((await rejection(client.call('sample.get', { id: 999 }))).code).toBe('not-found');
  });

  it('saves a chain as a revision, on disk when the call returns, and refuses a stale parent', async () => {
    const { client, project, events } = open();
    const before = await client.call('sample.get', { id: 2 });
    const text = '<observation>Edited.</observation><think>Because.</think><answer>A</answer>';
    const saved = await client.call('sample.saveChain', { id: 2, text, parentRevisionId: before.head?.id ?? null });
    expect(saved.revision).toMatchObject({ parentId: before.head?.id, text, authorKind: 'person', author: 'tester' });
    expect(events).toContainEqual({ event: 'samples.changed', payload: { ids: [2], reason: 'chain' } });
    // Another connection (another process) reads it: it was committed before the answer came.
    const reader = track(openProject(project, { readonly: true }));
    expect((reader.prepare('SELECT r.text FROM samples s JOIN chain_revisions r ON r.id = s.head_revision_id WHERE s.id = 2').get() as { text: string }).text).toBe(text);
    reader.close();

    const conflict = await rejection(client.call('sample.saveChain', { id: 2, text: 'late', parentRevisionId: before.head?.id ?? null }));
    expect(conflict.code).toBe('conflict');
    expect((await client.call('sample.revisions', { id: 2 })).revisions).toHaveLength(2);
    expect((await rejection(client.call('sample.saveChain', { id: 999, text: 'x', parentRevisionId: null }))).code).toBe('not-found');
  });

  it('restores an old revision as a new one (history stays append-only)', async () => {
    const { client } = open();
    const original = (await client.call('sample.get', { id: 5 })).head;
    const edited = await client.call('sample.saveChain', { id: 5, text: '<observation>new</observation><think>t</think><answer>B</answer>', parentRevisionId: original?.id ?? null });
    const restored = await client.call('sample.restore', { id: 5, revisionId: original?.id ?? 0, parentRevisionId: edited.revision.id });
    expect(restored.revision).toMatchObject({ text: original?.text, parentId: edited.revision.id });
    expect((await client.call('sample.revisions', { id: 5 })).revisions.map((revision) => revision.id)).toEqual([original?.id, edited.revision.id, restored.revision.id]);
    expect((await rejection(client.call('sample.restore', { id: 6, revisionId: original?.id ?? 0, parentRevisionId: null }))).code).toBe('not-found');
  });

  it('sets a status', async () => {
    const { client, events } = open();
    const result = await client.call('sample.setStatus', { id: 8, status: 'reviewed' });
    expect(result.status).toBe('reviewed');
    expect((await client.call('sample.get', { id: 8 })).status).toBe('reviewed');
    expect(events.some((entry) => entry.event === 'samples.changed' && (entry.payload as EventPayload<'samples.changed'>).reason === 'status')).toBe(true);
  });

  it('reads and sets the 15 primitive labels of a clip', async () => {
    const { client } = open();
    const labels = (await client.call('clip.labels', { clipId: 1 })).labels;
    expect(labels).toHaveLength(15);
    expect(labels.every((label) => label.value === null || label.author === 'samples')).toBe(true);
    const set = (await client.call('clip.setLabel', { clipId: 1, primitive: 'Tilt_Up', value: 1 })).labels;
    expect(set.find((label) => label.primitive === 'Tilt_Up')).toEqual({ primitive: 'Tilt_Up', value: 1, author: 'tester' });
    const cleared = (await client.call('clip.setLabel', { clipId: 1, primitive: 'Tilt_Up', value: null })).labels;
    expect(cleared.find((label) => label.primitive === 'Tilt_Up')?.author).not.toBe('tester');
    expect((await rejection(client.call('clip.labels', { clipId: 99 }))).code).toBe('not-found');
  });

  it('describes clip media with the host URLs and a filmstrip covering the clip', async () => {
    const { client } = open();
    const media = await client.call('clip.media', { clipId: 2 });
    expect(media).toMatchObject({ video: 'test://clip/2', frameTemplate: 'test://clip/2/{index}', frameCount: 30, fps: 25, width: 64, height: 48 });
    expect(media.filmstrip.frames).toEqual(Array.from({ length: 30 }, (_, index) => index));
    expect(media.filmstrip.columns * media.filmstrip.rows).toBeGreaterThanOrEqual(30);
    expect((await client.call('clip.analysis', { clipId: 2 })).analysis).toBeNull();
  });

  it('serves exact frames from a whole-clip extraction, and one by one for clips over the limit', async () => {
    const whole = open();
    const extracted = await studio!.media.frame(2, 7);
    expect('path' in extracted).toBe(true);
    await whole.client.call('project.info', {});
    await studio!.close();
    const folder = tempDir();
    studio = openStudio({ projectPath: copyProject(builtProject, folder), host: 'in-process', mediaUrls, cacheRoot: join(folder, 'cache'), log: () => undefined, wholeClipFrameLimit: 5 });
    const single = await studio.media.frame(2, 7);
    expect('data' in single && single.data.subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG, decoded on request
    await expect(studio.media.frame(2, 30)).rejects.toThrow();
  });

  it('analyzes a clip on request as a job of its own process, stores the reading and reuses it on the next request', async () => {
    const { client, events } = open();
    const { jobId } = await client.call('clip.analyze', { clipId: 2 });
    const finished = await studio?.handlers['jobs.get']({ id: jobId });
    expect(finished?.kind).toBe('analyze');
    const end = await waitForJob(client, jobId);
    expect(end).toEqual({ jobId, state: 'succeeded', error: null });
    const first = (await client.call('clip.analysis', { clipId: 2 })).analysis;
    // The fixture's clips are 64×48 index patterns: too small to track, but still a full reading.
    expect(Object.keys(first?.scores ?? {})).toHaveLength(15);
    const job = await client.call('jobs.get', { id: jobId });
    expect(job).toMatchObject({ state: 'succeeded', title: 'analyze a clip', result: { analyzed: 1, failures: [] } });
    expect(job.startedAt).not.toBeNull();
    // The job's own process wrote its log.
    expect((await client.call('jobs.log', { id: jobId })).text).toMatch(/job \d+ succeeded/);
    const again = await client.call('clip.analyze', { clipId: 2 });
    await waitForJob(client, again.jobId);
    expect((await client.call('clip.analysis', { clipId: 2 })).analysis?.createdAt).toBe(first?.createdAt);
    expect(events.some((entry) => entry.event === 'job.finished' && (entry.payload as { jobId: number }).jobId === jobId)).toBe(true);
    expect(events.some((entry) => entry.event === 'samples.changed' && (entry.payload as { reason: string }).reason === 'analysis')).toBe(true);
    expect((await rejection(client.call('clip.analyze', { clipId: 99 }))).code).toBe('not-found');
    expect((await client.call('jobs.list', {})).jobs.map((entry) => entry.id)).toEqual([again.jobId, jobId]);
  });
});

describe('stats and import', () => {
  it('counts, histograms and warns, each warning with a Library filter that finds its samples', async () => {
    const { client } = open();
    await client.call('library.bulkUpdate', { ids: [1], split: 'test' });
    const stats = await client.call('stats.get', {});
    expect(stats.samples).toBe(STUDIO_SAMPLES);
    expect(stats.clips).toEqual({ total: 2, ok: 2, missing: 0, error: 0 });
    expect(stats.chainLength.count).toBe(STUDIO_SAMPLES);
    expect(stats.chainLengthHistogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(STUDIO_SAMPLES);
    for (const bucket of stats.chainLengthHistogram) {
      const filter = { chainLength: { min: bucket.from, max: bucket.to } };
      expect((await client.call('library.query', { filter, sort: byId, offset: 0, limit: 1 })).total, JSON.stringify(bucket)).toBe(bucket.count);
    }
    const leak = stats.warnings.find((warning) => warning.code === 'clip-in-several-splits');
    expect(leak).toBeDefined();
    expect((await client.call('library.query', { filter: leak?.filter ?? {}, sort: byId, offset: 0, limit: 1 })).total).toBe(15);
    // A sample without a chain (an RL record) is found by the 'without-chain' warning's filter.
    const rl = JSON.stringify([{ problem_id: 'r1', problem: 'Does the camera roll clockwise?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], answer: '<answer>A</answer>', videos: ['video/other.mp4'] }]);
    await client.call('import.files', { files: [{ name: 'rl.json', content: rl }] });
    const without = (await client.call('stats.get', {})).warnings.find((warning) => warning.code === 'without-chain');
    expect(without?.message).toMatch(/^1 sample/);
    expect((await client.call('library.ids', { filter: without?.filter ?? {}, sort: byId })).ids).toEqual([STUDIO_SAMPLES + 1]);
  });

  it('shows the same facts as `frustum stats` (one computation, backend/facts)', async () => {
    const { client, project } = open();
    // Make lint and warnings non-trivial: a broken chain, a mislabelled one, a chain-less sample.
    await client.call('sample.saveChain', { id: 2, text: '<observation>x</observation><answer>Q</answer>', parentRevisionId: (await client.call('sample.get', { id: 2 })).head?.id ?? null });
    await client.call('sample.saveChain', { id: 3, text: '', parentRevisionId: (await client.call('sample.get', { id: 3 })).head?.id ?? null });
    const studioStats = await client.call('stats.get', {});
    const cli = frustumJson<{
      samplesWithLint: number; lint: Record<string, number>; chainLength: Record<string, number | string>;
      contradictions: { chains: number }; warnings: Array<{ code: string; message: string }>;
    }>(['stats', project]);
    expect(cli.code).toBe(0);
    expect(cli.json.samplesWithLint).toBe(studioStats.samplesWithLint);
    expect(studioStats.samplesWithLint).toBeGreaterThan(0);
    expect(cli.json.lint).toEqual(studioStats.lint);
    const { unit, ...words } = cli.json.chainLength;
    expect(unit).toBe('words');
    expect(words).toEqual(studioStats.chainLength);
    expect(cli.json.contradictions.chains).toBe(studioStats.contradictions);
    expect(cli.json.warnings.map(({ code, message }) => ({ code, message }))).toEqual(studioStats.warnings.map(({ code, message }) => ({ code, message })));
  });

  it('imports dropped files all or nothing, with progress', async () => {
    const { client, events } = open();
    const records = JSON.stringify([
      { problem_id: 'x1', problem: 'Does the camera tilt up?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], answer: '<answer>B</answer>', videos: ['video/new.mp4'] },
    ]);
    const bad = await rejection(client.call('import.files', { files: [{ name: 'good.json', content: records }, { name: 'broken.json', content: '[{' }] }));
    expect(bad.code).toBe('bad-request');
    expect(bad.message).toMatch(/broken\.json/);
    expect((await client.call('project.info', {})).sampleCount).toBe(STUDIO_SAMPLES);
    const result = await client.call('import.files', { files: [{ name: '../../evil/rl.json', content: records }] });
    expect(result).toMatchObject({ samplesAdded: 1, clipsAdded: 1, clipsMissing: 1 });
    expect((await client.call('project.info', {})).sampleCount).toBe(STUDIO_SAMPLES + 1);
    expect(events.filter((entry) => entry.event === 'job.finished').map((entry) => (entry.payload as { error: string | null }).error)).toEqual([expect.any(String), null]);
  });

  it("records a dropped file as the person's file, not its temporary copy, and names it in problems", async () => {
    const { client } = open();
    const record = (id: string, clip: string) => ({ problem_id: id, problem: `Does the camera pan left? (${id})`, data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], answer: '<answer>B</answer>', videos: [clip] });
    // The web mode knows the name; the desktop app gives the whole path (only a label: clips are not looked for there).
    const result = await client.call('import.files', {
      files: [
        { name: 'named.json', content: JSON.stringify([record('n1', 'video/n1.mp4')]) },
        { name: 'pathed.json', path: '/home/someone/datasets/pathed.json', content: JSON.stringify([record('p1', 'video/sft_0.mp4'), record('p2', 'video/p2.mp4')]) },
      ],
    });
    expect(result).toMatchObject({ samplesAdded: 3, clipsMissing: 2 });
    const sources = Object.keys((await client.call('library.facets', { filter: {} })).source);
    expect(sources).toEqual(expect.arrayContaining(['named.json', '/home/someone/datasets/pathed.json']));
    expect(sources.some((path) => path.includes('frustum-drop-'))).toBe(false);
    expect((await client.call('library.query', { filter: { source: ['named.json'] }, sort: byId, offset: 0, limit: 5 })).total).toBe(1);
    const sample = await client.call('sample.get', { id: STUDIO_SAMPLES + 1 });
    expect(sample.sources).toEqual(['named.json']);
    const missing = await client.call('library.query', { filter: { media: ['missing'] }, sort: byId, offset: 0, limit: 5 });
    expect(missing.rows.map((row) => [row.clipName, row.mediaStatus])).toEqual([['n1.mp4', 'missing'], ['p2.mp4', 'missing']]);
    const bad = await rejection(client.call('import.files', { files: [{ name: 'broken.json', path: '/home/someone/broken.json', content: '[{' }] }));
    expect(bad.message).toContain('/home/someone/broken.json');
    expect(bad.message).not.toContain('frustum-drop-');
  });

  it('keeps answering while a large drop imports in a job of its own process, which it announces', async () => {
    const { client, events } = open();
    const records = JSON.stringify(Array.from({ length: 20_000 }, (_, index) => ({
      problem_id: `big${index}`, problem: `Does the camera pan left? (${index})`, data_type: 'video', problem_type: 'multiple choice',
      options: ['A. No', 'B. Yes'], answer: '<answer>A</answer>', videos: [`video/big${index % 50}.mp4`],
    })));
    // Timer turns land in the event list between the import's progress events only if this
    // thread is free while the import runs (on this thread they would all wait for its end).
    const ticker = setInterval(() => events.push({ event: 'tick', payload: null }), 1);
    try {
      const importing = client.call('import.files', { files: [{ name: 'big.json', content: records }] });
      expect((await client.call('project.info', {})).sampleCount).toBe(STUDIO_SAMPLES);
      expect(await importing).toMatchObject({ samplesAdded: 20_000 });
    } finally {
      clearInterval(ticker);
    }
    expect((await client.call('project.info', {})).sampleCount).toBe(STUDIO_SAMPLES + 20_000);
    // Progress within the import is the job's to store (backend/jobs/supervisor.test.ts watches it move).
    const firstProgress = events.findIndex((entry) => entry.event === 'job.progress' && (entry.payload as { kind: string }).kind === 'import');
    const finished = events.findIndex((entry) => entry.event === 'job.finished');
    expect(firstProgress).toBeGreaterThan(-1);
    expect(events.slice(firstProgress, finished).some((entry) => entry.event === 'tick')).toBe(true);
  });
});

describe('the door', () => {
  it('validates requests and answers junk with bad-request, never a crash', async () => {
    open();
    const call = (method: string, request: unknown) => (studio as Studio).call(method, request);
    expect(await call('nope', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('toString', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('sample.get', null)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('library.query', { filter: { status: ['nope'] }, sort: byId, offset: 0, limit: 1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('library.query', { filter: {}, sort: byId, offset: -1, limit: 1 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await call('project.info', {})).toMatchObject({ ok: true });
  });

  it('times out a slow handler and logs slow calls by name', async () => {
    const lines: string[] = [];
    const folder = tempDir();
    studio = openStudio({
      projectPath: copyProject(builtProject, folder), host: 'in-process', mediaUrls, cacheRoot: join(folder, 'cache'),
      log: (line) => lines.push(line), dispatch: { timeoutMs: () => 1, slowCallMs: 0 },
    });
    // clip.media decodes a filmstrip: far longer than 1 ms.
    expect(await studio.call('clip.media', { clipId: 1 })).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(lines.some((line) => /^slow call: clip\.media took \d+ ms$/.test(line))).toBe(true);
  });
});

describe('helpers', () => {
  it('turns any search box text into a valid FTS5 query', () => {
    expect(ftsQuery('pan left')).toBe('"pan" "left"*');
    expect(ftsQuery('"drifts right" fast')).toBe('"drifts right" "fast"*');
    expect(ftsQuery('"open')).toBe('"open"');
    expect(ftsQuery('   ')).toBeNull();
    expect(ftsQuery('a"b')).toBe('"a b"*');
  });

  it('counts the words of a chain, not its tags', () => {
    expect(chainWords('<observation>one two</observation><think>three</think><answer>B</answer>')).toBe(4);
    expect(chainWords('')).toBe(0);
  });
});
