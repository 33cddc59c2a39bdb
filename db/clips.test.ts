import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, track } from '../tests/support/tempDir';
import { listClipMedia, relinkClips, saveClipMedia } from './clips';
import { createProject } from './connection';

describe('clip media', () => {
  it('saves probes and errors and keeps the last good probe on error', () => {
    const db = track(createProject(join(tempDir(), 'p.frustum')));
    db.prepare("INSERT INTO clips(name, ref, file_path, media_status, created_at) VALUES ('a.mp4', 'a.mp4', '/v/a.mp4', 'ok', 'now'), ('b.mp4', 'b.mp4', '/v/b.mp4', 'ok', 'now')").run();
    const changed = saveClipMedia(
      db,
      [
        { id: 1, status: 'ok', probe: { frameCount: 3 }, contentHash: 'h1', fileSize: 10, fileMtime: '2024-01-01T00:00:00.000Z' },
        { id: 2, status: 'error', reason: 'is empty (0 bytes)', fileSize: 0, fileMtime: '2024-01-02T00:00:00.000Z' },
      ],
      'T1',
    );
    expect(changed).toBe(2);
    const [first, second] = listClipMedia(db);
    expect(first).toMatchObject({ media_status: 'ok', probe: '{"frameCount":3}', content_hash: 'h1', file_size: 10, probed_at: 'T1', media_error: null });
    expect(second).toMatchObject({ media_status: 'error', media_error: 'is empty (0 bytes)', file_size: 0, probe: null });
    saveClipMedia(db, [{ id: 1, status: 'missing', reason: 'file not found' }], 'T2');
    expect(listClipMedia(db)[0]).toMatchObject({ media_status: 'missing', media_error: 'file not found', probe: '{"frameCount":3}', content_hash: 'h1', probed_at: 'T2', file_size: null });
    relinkClips(db, [{ id: 1, filePath: '/w/a.mp4', mediaRoot: '/w' }]);
    expect(listClipMedia(db)[0]).toMatchObject({ media_status: 'ok', media_error: null, file_path: '/w/a.mp4', media_root: '/w' });
    db.close();
  });
});
