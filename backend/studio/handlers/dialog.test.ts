// dialog.pickFolder outside the desktop app: the in-process door (as the web mode's) answers
// 'unavailable' with what to do instead, validated like every other call.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../common/api/contract';
import { createProject } from '../../../db/connection';
import { tempDir } from '../../../tests/support/tempDir';
import { createInProcessClient } from '../inProcessClient';
import { openStudio, type Studio } from '../studio';

let studio: Studio | null = null;
afterEach(async () => {
  await studio?.close();
  studio = null;
});

describe('dialog.pickFolder', () => {
  it('asks for a typed path where no native dialog can be shown', async () => {
    const folder = tempDir();
    const project = join(folder, 'empty.frustum');
    createProject(project).close();
    const mediaUrls = { video: () => '', frameTemplate: () => '', filmstrip: () => '' };
    studio = openStudio({ projectPath: project, host: 'in-process', mediaUrls, cacheRoot: join(folder, 'cache'), log: () => undefined });
    const client = createInProcessClient(studio);
    const error = await client.call('dialog.pickFolder', { title: 'Relink clips' }).then(() => null, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('type its path') });
    // The request is checked against the contract before any handler runs.
    const invalid = await studio.call('dialog.pickFolder', { title: 'x'.repeat(201) });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
