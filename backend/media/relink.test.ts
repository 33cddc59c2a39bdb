// Relinking (backend/media/relink.ts, `frustum relink`, the studio's clips.relink) takes only
// regular files whose real path is inside the folder, records that folder as the clips' media
// root, and writes all or nothing. Real files, real symlinks, a real FIFO, a real project.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../common/api/contract';
import { InputError } from '../../common/errors';
import { listClipMedia } from '../../db/clips';
import { createProject, type WritableDB } from '../../db/connection';
import { syntheticSft } from '../../tests/fixtures/syntheticDatasets';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { relinkHandlers } from '../studio/handlers/relink';
import { openStudio } from '../studio/studio';
import { confinedClipFile, isRefusal } from './confine';
import { relinkClips } from './relink';

const NAMES = ['plain.mp4', 'deep.mp4', 'out-link.mp4', 'proc-link.mp4', 'pipe.mp4', 'in-linked-folder.mp4', 'never.mp4'];

/** A project whose clips are all missing (the dataset's video/ folder does not exist), and a folder to relink them to. */
function setup(): { db: WritableDB; folder: string; relinkDir: string; outside: string } {
  const folder = tempDir();
  const dataset = join(folder, 'sft.json');
  const records = syntheticSft({ count: NAMES.length, seed: 77 }).map((record, index) => ({ ...(record as object), videos: [`video/${NAMES[index]}`] }));
  writeFileSync(dataset, JSON.stringify(records));
  const db = track(createProject(join(folder, 'p.frustum')));
  importFiles(db, [dataset]);
  const outside = join(folder, 'outside');
  mkdirSync(outside);
  for (const name of NAMES) writeFileSync(join(outside, name), `secret ${name}`);
  const relinkDir = join(folder, 'relink');
  mkdirSync(join(relinkDir, 'video'), { recursive: true });
  mkdirSync(join(relinkDir, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(relinkDir, 'video', 'plain.mp4'), 'a clip');
  writeFileSync(join(relinkDir, 'sub', 'deeper', 'deep.mp4'), 'a clip found by its name');
  symlinkSync(join(outside, 'out-link.mp4'), join(relinkDir, 'video', 'out-link.mp4'));
  symlinkSync('/proc/self/environ', join(relinkDir, 'video', 'proc-link.mp4'));
  execFileSync('mkfifo', [join(relinkDir, 'video', 'pipe.mp4')]);
  // A symlinked folder inside, pointing out: its files are not the folder's.
  symlinkSync(outside, join(relinkDir, 'linked'));
  return { db, folder, relinkDir, outside };
}

function byName(db: WritableDB) {
  return new Map(listClipMedia(db).map((clip) => [clip.name, clip]));
}

describe('relinkClips', () => {
  it('relinks only regular files inside the folder, and confines them to it', () => {
    const { db, relinkDir } = setup();
    const report = relinkClips(db, relinkDir);
    expect(report).toMatchObject({ relinked: 2, stillMissing: 5, clips: 7 });
    const clips = byName(db);
    expect(clips.get('plain.mp4')).toMatchObject({ media_status: 'ok', file_path: join(relinkDir, 'video', 'plain.mp4'), media_root: realpathSync(relinkDir) });
    expect(clips.get('deep.mp4')).toMatchObject({ media_status: 'ok', file_path: join(relinkDir, 'sub', 'deeper', 'deep.mp4'), media_root: realpathSync(relinkDir) });
    for (const name of ['out-link.mp4', 'proc-link.mp4', 'pipe.mp4', 'in-linked-folder.mp4', 'never.mp4']) {
      expect(clips.get(name), name).toMatchObject({ media_status: 'missing', file_path: null, media_root: null });
    }
    expect(isRefusal(confinedClipFile(db, clips.get('plain.mp4')!))).toBe(false);
    expect(report.sampleIds).toHaveLength(2);
    db.close();
  });

  it('refuses a path in the dataset that climbs out of the folder', () => {
    const { db, folder, relinkDir } = setup();
    // The clip's reference leads out of the relink folder to a real file of the same name.
    db.prepare("UPDATE clips SET ref = '../outside/never.mp4' WHERE name = 'never.mp4'").run();
    relinkClips(db, relinkDir);
    expect(byName(db).get('never.mp4')).toMatchObject({ media_status: 'missing', file_path: null });
    // The same file, reached from a folder that holds it, is fine.
    relinkClips(db, join(folder, 'outside'));
    expect(byName(db).get('never.mp4')).toMatchObject({ media_status: 'ok', media_root: realpathSync(join(folder, 'outside')) });
    db.close();
  });

  it('relinks a clip whose file was swapped out of its folder, and leaves usable clips alone', () => {
    const { db, relinkDir, outside } = setup();
    relinkClips(db, relinkDir);
    // deep.mp4's file now lies outside its media folder (as if a folder on its path had been swapped for a link).
    db.prepare("UPDATE clips SET file_path = ? WHERE name = 'deep.mp4'").run(join(outside, 'deep.mp4'));
    const other = join(relinkDir, '..', 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'deep.mp4'), 'the clip again');
    writeFileSync(join(other, 'plain.mp4'), 'not wanted: plain.mp4 is fine where it is');
    const report = relinkClips(db, other);
    expect(report).toMatchObject({ relinked: 1 });
    expect(byName(db).get('deep.mp4')).toMatchObject({ file_path: join(other, 'deep.mp4'), media_root: realpathSync(other) });
    expect(byName(db).get('plain.mp4')).toMatchObject({ file_path: join(relinkDir, 'video', 'plain.mp4') });
    db.close();
  });

  it('writes nothing when the folder or a clip id is wrong', () => {
    const { db, relinkDir } = setup();
    const before = listClipMedia(db);
    expect(() => relinkClips(db, join(relinkDir, 'video', 'plain.mp4'))).toThrow(InputError);
    expect(() => relinkClips(db, join(relinkDir, 'nowhere'))).toThrow(/is not a folder/);
    expect(() => relinkClips(db, relinkDir, { clipIds: [1, 999] })).toThrow(/has no clip 999/);
    expect(listClipMedia(db)).toEqual(before);
    db.close();
  });
});

describe('clips.relink (the studio handler)', () => {
  it('relinks the clips asked for and says which samples changed', async () => {
    const { db, relinkDir } = setup();
    const events: Array<{ event: EventName; payload: unknown }> = [];
    const handlers = relinkHandlers({ db, emit: (event, payload) => events.push({ event, payload }) });
    const plain = byName(db).get('plain.mp4')!;
    const response = await handlers['clips.relink']({ folder: relinkDir, clipIds: [plain.id] });
    expect(response).toEqual({ relinked: 1, stillMissing: 0, clips: 1 });
    expect(byName(db).get('deep.mp4')).toMatchObject({ media_status: 'missing' });
    const sampleIds = (db.prepare('SELECT id FROM samples WHERE clip_id = ?').all(plain.id) as Array<{ id: number }>).map((row) => row.id);
    expect(events).toEqual([{ event: 'samples.changed', payload: { ids: sampleIds, reason: 'import' } }]);
    expect(() => handlers['clips.relink']({ folder: 'relative/folder' })).toThrow(/must be an absolute path/);
    db.close();
  });

  it('is a contract method of the studio: relinked clips are served', async () => {
    const { db, folder, relinkDir } = setup();
    const plain = byName(db).get('plain.mp4')!;
    db.close();
    const mediaUrls = { video: (id: number) => `v/${id}`, frameTemplate: (id: number) => `f/${id}/{index}`, filmstrip: (id: number) => `s/${id}` };
    const studio = openStudio({ projectPath: join(folder, 'p.frustum'), host: 'in-process', mediaUrls, cacheRoot: join(folder, 'cache'), log: () => undefined });
    try {
      const changed: unknown[] = [];
      studio.on('samples.changed', (payload) => changed.push(payload));
      await expect(studio.media.video(plain.id)).rejects.toMatchObject({ code: 'unavailable' });
      expect(await studio.call('clips.relink', { folder: relinkDir })).toEqual({ ok: true, response: { relinked: 2, stillMissing: 5, clips: 7 } });
      expect(changed).toHaveLength(1);
      expect(await studio.media.video(plain.id)).toMatchObject({ path: realpathSync(join(relinkDir, 'video', 'plain.mp4')), size: 6 });
      expect(await studio.call('clips.relink', { folder: 'relative' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(await studio.call('clips.relink', { folder: join(relinkDir, 'missing') })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/is not a folder/) as unknown } });
    } finally {
      await studio.close();
    }
  });
});
