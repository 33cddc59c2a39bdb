// Media confinement at import and at every use (issue 9, item 1), on real files: a hostile
// dataset's paths ("../", absolute, /proc/self/environ), symlinks out of the dataset folder, a
// FIFO and a folder named as clips; and files that turn hostile after the import. Nothing here
// may hang: a FIFO opened by mistake would block until the test times out.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/contract';
import { InputError } from '../../common/errors';
import { listClipMedia } from '../../db/clips';
import { createProject, openProject, type WritableDB } from '../../db/connection';
import { syntheticSft } from '../../tests/fixtures/syntheticDatasets';
import { buildHostileProject, REFUSED_AT_IMPORT, type HostileProject } from '../../tests/support/hostileMedia';
import { copyProject } from '../../tests/support/studioProject';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { analyzeProject } from '../motion/analyze';
import { analyzeProjectClip } from '../motion/analyze/analyzeProjectClip';
import { confinedClipFile, isRefusal } from './confine';
import { createFrameCache } from './frameCache';
import { hashFile } from './hash';
import { probeProjectClips } from './probeProject';

// Built once per file (tempDir's folders go after each test); each test works on a copy of the project.
let hostile: HostileProject;
beforeAll(async () => {
  hostile = await buildHostileProject(mkdtempSync(join(tmpdir(), 'frustum-hostile-')));
}, 60_000);
afterAll(() => rmSync(hostile.folder, { recursive: true, force: true }));

/** A private copy of the hostile project, open for writing. */
function openCopy(): WritableDB {
  return track(openProject(copyProject(hostile.project, tempDir())));
}

function clipNamed(db: WritableDB, name: string) {
  const clip = listClipMedia(db).find((row) => row.name === name);
  if (clip === undefined) throw new Error(`no clip ${name}`);
  return clip;
}

describe('import', () => {
  it('imports every path that leaves the dataset folder, and every FIFO or folder, as missing with the reason', () => {
    const db = openCopy();
    for (const [name, reason] of Object.entries(REFUSED_AT_IMPORT)) {
      const clip = clipNamed(db, name);
      expect({ name, status: clip.media_status, file: clip.file_path, root: clip.media_root }).toEqual({ name, status: 'missing', file: null, root: null });
      expect(clip.media_error, name).toMatch(reason);
    }
    expect(clipNamed(db, 'secret.mp4').media_error).toBe(
      `../outside/secret.mp4 resolves outside the dataset folder ${hostile.datasetDir}; relink it to a folder that holds it`,
    );
    db.close();
  });

  it('keeps files inside the folder, symlinks within it included, with the real folder as their media root', () => {
    const db = openCopy();
    for (const name of ['ok.mp4', 'inside-link.mp4', 'swap.mp4']) {
      expect(clipNamed(db, name), name).toMatchObject({ media_status: 'ok', media_root: hostile.datasetDir, file_path: join(hostile.folder, 'dataset', 'video', name) });
    }
    db.close();
  });

  it('confines clips found through --videos to that folder', () => {
    const folder = tempDir();
    const videos = join(folder, 'videos');
    const datasetDir = join(folder, 'elsewhere');
    mkdirSync(videos);
    mkdirSync(datasetDir);
    writeFileSync(join(videos, 'v.mp4'), 'a clip');
    writeFileSync(join(datasetDir, 'beside.mp4'), 'a clip beside the dataset, outside --videos');
    symlinkSync(join(datasetDir, 'beside.mp4'), join(videos, 'vlink.mp4'));
    const refs = ['clips/v.mp4', 'vlink.mp4'];
    const records = syntheticSft({ count: refs.length, seed: 31 }).map((record, index) => ({ ...(record as object), videos: [refs[index]] }));
    const dataset = join(datasetDir, 'sft.json');
    writeFileSync(dataset, JSON.stringify(records));
    const db = track(createProject(join(folder, 'p.frustum')));
    importFiles(db, [dataset], { videosDir: videos });
    // Found by file name in --videos: confined there.
    expect(clipNamed(db, 'v.mp4')).toMatchObject({ media_status: 'ok', media_root: realpathSync(videos), file_path: join(videos, 'v.mp4') });
    // The link leaves --videos (for the dataset's folder: still not where it was found).
    expect(clipNamed(db, 'vlink.mp4')).toMatchObject({ media_status: 'missing', file_path: null });
    expect(clipNamed(db, 'vlink.mp4').media_error).toMatch(/^vlink\.mp4 resolves outside the --videos folder /);
    db.close();
  });

  it('says where a clip that is simply not there was looked for', () => {
    const folder = tempDir();
    const records = syntheticSft({ count: 1, seed: 32 });
    const dataset = join(folder, 'sft.json');
    writeFileSync(dataset, JSON.stringify(records));
    const db = track(createProject(join(folder, 'p.frustum')));
    importFiles(db, [dataset]);
    const [clip] = listClipMedia(db);
    expect(clip).toMatchObject({ media_status: 'missing', file_path: null, media_root: null });
    expect(clip?.media_error).toBe(`video/sft_0.mp4 was not found in ${folder}; relink it to a folder that holds it`);
    db.close();
  });
});

describe('at every use', () => {
  it('refuses a symlink swapped to point out after the import', () => {
    const db = openCopy();
    expect(isRefusal(confinedClipFile(db, clipNamed(db, 'swap.mp4')))).toBe(false);
    hostile.swap();
    const refused = confinedClipFile(db, clipNamed(db, 'swap.mp4'));
    expect(refused).toMatchObject({ status: 'missing' });
    expect(isRefusal(refused) ? refused.reason : '').toMatch(/\(it resolves to .*outside\/secret\.mp4\) is outside its media folder .*; relink it to a folder that holds it/);
    db.close();
  });

  it('refuses a file that became a FIFO, without opening it', () => {
    const db = openCopy();
    const refused = confinedClipFile(db, clipNamed(db, 'later-fifo.mp4'));
    expect(refused).toMatchObject({ status: 'error' });
    expect(isRefusal(refused) ? refused.reason : '').toMatch(/later-fifo\.mp4 is a FIFO \(named pipe\), not a video file$/);
    db.close();
  });

  it('confines clips linked before migration 5 to their datasets\' folders and the project\'s', () => {
    const db = openCopy();
    db.prepare('UPDATE clips SET media_root = NULL').run();
    expect(isRefusal(confinedClipFile(db, clipNamed(db, 'ok.mp4')))).toBe(false);
    // A legacy clip pointed outside (as an old relink or a hand-edited file could have).
    db.prepare("UPDATE clips SET file_path = ?, media_status = 'ok' WHERE name = 'secret.mp4'").run(join(hostile.folder, 'outside', 'secret.mp4'));
    const refused = confinedClipFile(db, clipNamed(db, 'secret.mp4'));
    expect(isRefusal(refused) ? refused.reason : '').toMatch(/secret\.mp4 is outside the folders of its datasets and of the project \(.*dataset.*\); relink it/);
    db.close();
  });

  it('probing a project marks a FIFO clip as an error and a clip now outside as missing, fast', async () => {
    const db = openCopy();
    hostile.swap();
    const report = await probeProjectClips(db);
    expect(clipNamed(db, 'later-fifo.mp4')).toMatchObject({ media_status: 'error' });
    expect(clipNamed(db, 'later-fifo.mp4').media_error).toMatch(/is a FIFO \(named pipe\)/);
    expect(clipNamed(db, 'swap.mp4')).toMatchObject({ media_status: 'missing' });
    expect(clipNamed(db, 'swap.mp4').media_error).toMatch(/is outside its media folder/);
    expect(clipNamed(db, 'ok.mp4')).toMatchObject({ media_status: 'ok' });
    expect(report.problems.map((problem) => problem.clip).sort()).toEqual(['later-fifo.mp4', 'swap.mp4']);
    db.close();
  }, 10_000);

  it('analyzing a FIFO clip fails at once, in the studio and over the project', async () => {
    const db = openCopy();
    const fifo = clipNamed(db, 'later-fifo.mp4');
    const error = await analyzeProjectClip(db, fifo.id).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/later-fifo\.mp4 was not analyzed: .* is a FIFO \(named pipe\)/) as unknown });
    const report = await analyzeProject(db, { settings: { fps: 5, width: 64, fovDegrees: 60 } });
    expect(report.failures).toContainEqual({ clip: 'later-fifo.mp4', error: expect.stringMatching(/is a FIFO/) as unknown });
    expect(clipNamed(db, 'later-fifo.mp4')).toMatchObject({ media_status: 'error' });
    db.close();
  }, 30_000);

  it('the frame cache and the hash refuse a FIFO instead of opening it', async () => {
    const fifo = join(hostile.folder, 'dataset', 'video', 'pipe.mp4');
    const cache = createFrameCache({ root: tempDir() });
    await expect(cache.frameAt(fifo, 0)).rejects.toMatchObject({ problems: [{ file: fifo, reason: 'is a FIFO (named pipe), not a video file' }] });
    await expect(cache.filmstrip(fifo)).rejects.toBeInstanceOf(InputError);
    await expect(hashFile(fifo)).rejects.toBeInstanceOf(InputError);
  }, 10_000);
});
