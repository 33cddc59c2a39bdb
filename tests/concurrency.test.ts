// Many writers, one file (issue 9, item 2): the studio saving chains in a loop while real
// `frustum import` processes, a few at a time, write the same project. Before write transactions
// began IMMEDIATE, 16–17 of 20 imports exited 70 with "database is locked" and ~5 % of saves
// failed with "project is busy"; neither side may fail now, every record must land, and the
// studio must tell the page about the imports it did not make.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../common/api/contract';
import { importFiles } from '../backend/formats/importFiles';
import { createInProcessClient } from '../backend/studio/inProcessClient';
import { openStudio, type Studio } from '../backend/studio/studio';
import { createProject } from '../db/connection';
import { syntheticSft } from './fixtures/syntheticDatasets';
import { tempDir } from './support/tempDir';

const BIN = join(__dirname, '..', 'bin', 'frustum.js');
const FILES = 20;
const RECORDS_PER_FILE = 380;
const IMPORTS_AT_ONCE = 4;
/** Samples the studio edits; the imports add others (their clips differ), so saves never conflict with them. */
const EDITED_SAMPLES = 15;

const mediaUrls = {
  video: (id: number) => `test://clip/${id}`,
  frameTemplate: (id: number) => `test://clip/${id}/{index}`,
  filmstrip: (id: number) => `test://clip/${id}/strip`,
};

let studio: Studio | null = null;
afterEach(async () => {
  await studio?.close();
  studio = null;
});

interface ImportOutcome {
  code: number;
  stderr: string;
}

/** One `frustum import` process, as a user's shell or script runs it. */
function runImport(project: string, file: string): Promise<ImportOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'import', project, file, '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** Runs every import, `width` processes at a time; calls `onFinished` as each one exits. */
async function importAll(project: string, files: readonly string[], width: number, onFinished: (outcome: ImportOutcome) => void): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as string;
      onFinished(await runImport(project, file));
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** Saves chains round the edited samples until `isDone`, each on the head it read; returns the failures. */
async function saveChainsUntil(client: ApiClient, isDone: () => boolean): Promise<{ saves: number; failures: string[] }> {
  const failures: string[] = [];
  let saves = 0;
  for (let round = 0; !isDone(); round++) {
    const id = (round % EDITED_SAMPLES) + 1;
    try {
      const sample = await client.call('sample.get', { id });
      const text = `<observation>edit ${round}: the background drifts left</observation>\n<think>so the camera pans right</think>\n<answer>B</answer>`;
      await client.call('sample.saveChain', { id, text, parentRevisionId: sample.head?.id ?? null });
      saves++;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failures.push(`${error.code}: ${error.message}`);
    }
    // A person saves every few seconds; this saves as often as the event loop allows, but lets
    // it see the child processes exit (calls through the in-process client are microtasks only).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { saves, failures };
}

describe('the studio and the CLI writing one project', () => {
  it('neither fails: every import lands, every save is kept, and the studio hears of the imports', async () => {
    const folder = tempDir();
    const project = join(folder, 'shared.frustum');
    const seed = join(folder, 'seed.json');
    writeFileSync(seed, JSON.stringify(syntheticSft({ count: EDITED_SAMPLES, seed: 900, clipPrefix: 'seed' })));
    const db = createProject(project);
    try {
      importFiles(db, [seed]);
    } finally {
      db.close();
    }
    // Each file asks about its own clips, so its 380 records are 380 new samples.
    const files = Array.from({ length: FILES }, (_, index) => {
      const file = join(folder, `part-${index}.json`);
      writeFileSync(file, JSON.stringify(syntheticSft({ count: RECORDS_PER_FILE, seed: 1000 + index, clipPrefix: `part${index}` })));
      return file;
    });

    studio = openStudio({ projectPath: project, host: 'in-process', mediaUrls, author: 'tester', cacheRoot: join(folder, 'cache'), log: () => undefined });
    const client = createInProcessClient(studio);
    const external: number[] = [];
    studio.on('samples.changed', (payload) => {
      if (payload.reason === 'external') external.push(performance.now());
    });

    const importFailures: string[] = [];
    let firstImportAt: number | null = null;
    let isDone = false;
    const imports = importAll(project, files, IMPORTS_AT_ONCE, (outcome) => {
      if (outcome.code === 0) firstImportAt ??= performance.now();
      else importFailures.push(`exit ${outcome.code}: ${outcome.stderr.trim().split('\n').slice(0, 2).join(' ')}`);
    }).finally(() => {
      isDone = true;
    });
    const saving = saveChainsUntil(client, () => isDone);
    await imports;
    const { saves, failures: saveFailures } = await saving;

    console.log(
      `concurrent load: ${FILES} imports of ${RECORDS_PER_FILE} records (${IMPORTS_AT_ONCE} at a time), ${importFailures.length} failed; ` +
        `${saves + saveFailures.length} chain saves, ${saveFailures.length} failed`,
    );
    expect(importFailures).toEqual([]);
    expect(saveFailures).toEqual([]);
    expect(saves).toBeGreaterThan(0);

    const library = await client.call('library.query', { filter: {}, sort: { key: 'id', direction: 'asc' }, offset: 0, limit: 1 });
    expect(library.total).toBe(EDITED_SAMPLES + FILES * RECORDS_PER_FILE);
    // Every save is a revision on top of the previous one: none was lost or forked.
    const revisions = await Promise.all(
      Array.from({ length: EDITED_SAMPLES }, (_, index) => client.call('sample.revisions', { id: index + 1 })),
    );
    expect(revisions.reduce((sum, { revisions: list }) => sum + list.length, 0)).toBe(EDITED_SAMPLES + saves);

    expect(firstImportAt).not.toBeNull();
    await vi.waitFor(() => expect(external.some((at) => at > (firstImportAt as number))).toBe(true), { timeout: 10_000 });
  });
});
