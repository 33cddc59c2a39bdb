// The Library, Stats and dropped-file defects of issue #9 item 4, each driven in real Chromium
// against `frustum serve` on its own demo project: Back from Review returns to the same row;
// facet counts follow the other active filters; every active filter is a removable chip; a bulk
// change asks first above 100 samples and can be undone exactly; missing media is marked,
// filterable and its clips searchable by name; Stats' percentages are shares of samples and its
// source names are told apart; a dropped file is recorded by its own name and says its clips are
// missing. No timing assertions here (bench/).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoProject, openStudioSession, runFrustum, SCREENSHOTS, type ServedStudio, type StudioSession } from './studioServer';

/**
 * `frustum demo --count 4` makes 60 samples (each in four source files: sft, rl, questions and a
 * CameraBench file); two more files, both named extra.json, add 30 samples each whose clips are
 * nowhere (lost_0 … lost_59.mp4). The first file's chains have an empty observation and an empty
 * think: two lint issues on each of 30 samples.
 */
const DEMO_SAMPLES = 60;
const EXTRA_PER_FILE = 30;
const TOTAL = DEMO_SAMPLES + 2 * EXTRA_PER_FILE;

let folder: string;
let project: string;
let session: StudioSession | undefined;
let server: ServedStudio;
let page: Page;
const pageErrors: string[] = [];

function statusCounts(): Record<string, number> {
  return (JSON.parse(runFrustum('stats', project, '--json')) as { samples: { byStatus: Record<string, number> } }).samples.byStatus;
}

function sftRecord(index: number, chain: string): unknown {
  return {
    messages: [
      { role: 'user', content: `<video>Does the camera pan to the left? (take ${index})\nOptions:\nA. No\nB. Yes` },
      { role: 'assistant', content: chain },
    ],
    videos: [`video/lost_${index}.mp4`],
  };
}

const total = () => page.getByTestId('library-total').textContent();
const rows = () => page.getByTestId('library-rows');
const chips = () => page.getByTestId('filter-chips').locator('.chip');
const routeFilter = () => page.evaluate(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('filter') ?? '');

/** Opens a facet menu (closing any other) and returns it. */
async function openFacet(label: string) {
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  return page.getByRole('menu', { name: label });
}

/** value → count as a facet menu shows them, once the counts are of the current filter. */
async function facetCounts(label: string): Promise<Record<string, string>> {
  const menu = await openFacet(label);
  await expect.poll(() => menu.getAttribute('aria-busy')).toBe('false');
  const counts: Record<string, string> = {};
  for (const option of await menu.locator('.facet-option').all()) counts[(await option.getAttribute('data-value')) ?? ''] = (await option.locator('.count').textContent()) ?? '';
  await page.keyboard.press('Escape');
  return counts;
}

async function openLibrary(): Promise<void> {
  await page.goto(`${server.url}#/library`);
  await expect.poll(total).toBe(`${TOTAL} samples`);
}

beforeAll(async () => {
  ({ folder, project } = createDemoProject('frustum-library-e2e-'));
  const extra = (name: string, from: number, chain: string) => {
    mkdirSync(join(folder, name));
    const path = join(folder, name, 'extra.json');
    writeFileSync(path, JSON.stringify(Array.from({ length: EXTRA_PER_FILE }, (_, index) => sftRecord(from + index, chain))));
    return path;
  };
  runFrustum(
    'import', project,
    extra('one', 0, '<observation></observation>\n<think></think>\n<answer>B</answer>'),
    extra('two', EXTRA_PER_FILE, '<observation>The background slides right across frames 1–50.</observation>\n<think>Content moving right means the camera turns left.</think>\n<answer>B</answer>'),
  );
  session = await openStudioSession(project, pageErrors, { viewport: { width: 1280, height: 720 } });
  ({ server, page } = session);
}, 180_000);

afterAll(async () => {
  await session?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the Library, Stats and dropped files in Chromium', () => {
  it('comes back from Review scrolled where it was, the cursor on the same row', async () => {
    await openLibrary();
    await rows().evaluate((element) => {
      element.scrollTop = 900;
    });
    const row40 = page.locator('.table-spacer .row[data-id="40"]');
    await row40.click();
    await expect.poll(() => row40.getAttribute('class')).toContain('cursor');
    const scrolled = await rows().evaluate((element) => element.scrollTop);
    expect(scrolled).toBeGreaterThan(600);
    const cursorRow = () => page.locator('.table-spacer .row.cursor').getAttribute('data-id');

    // Browser's Back.
    await page.keyboard.press('Enter');
    await page.locator('.review[data-sample-id="40"]').waitFor();
    await page.goBack();
    await expect.poll(total).toBe(`${TOTAL} samples`);
    await expect.poll(() => rows().evaluate((element) => element.scrollTop)).toBe(scrolled);
    await expect.poll(cursorRow).toBe('40');

    // The Library tab; keys go on from the remembered row.
    await page.keyboard.press('ArrowDown');
    await expect.poll(cursorRow).toBe('41');
    await page.keyboard.press('Enter');
    await page.locator('.review[data-sample-id="41"]').waitFor();
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect.poll(cursorRow).toBe('41');
    await expect.poll(() => rows().evaluate((element) => element.scrollTop)).toBe(scrolled);

    // Another list (another filter) starts at its top.
    await page.locator('#library-search').fill('camera');
    await expect.poll(routeFilter).toBe('{"search":"camera"}');
    await expect.poll(() => rows().evaluate((element) => element.scrollTop)).toBe(0);
  });

  it('shows every active filter as a chip, the chain length from Stats too, and × drops it', async () => {
    await page.keyboard.press('Alt+6');
    const buckets = page.locator('.chart', { hasText: 'Chain length' }).locator('.bar-row');
    await buckets.first().waitFor();
    const counts = (await buckets.locator('.bar-count').allTextContents()).map(Number);
    const fullest = counts.indexOf(Math.max(...counts));
    const range = (await buckets.nth(fullest).locator('.bar-label').textContent()) ?? '';
    await buckets.nth(fullest).click();
    await expect.poll(total).toBe(`${counts[fullest]} samples`);
    await expect.poll(() => chips().allTextContents()).toEqual([`words ${range}×`]);

    const status = await openFacet('Status');
    await status.locator('.facet-option[data-value="draft"] input').check();
    await page.keyboard.press('Escape');
    await page.locator('#library-search').fill('camera');
    await expect.poll(async () => (await chips().allTextContents()).sort()).toEqual(['search“camera”×', 'statusdraft×', `words ${range}×`]);
    await page.screenshot({ path: join(SCREENSHOTS, 'library-chips.png') });

    await page.getByRole('button', { name: `Remove filter words ${range}` }).click();
    await expect.poll(async () => JSON.parse(await routeFilter()) as unknown).toEqual({ search: 'camera', status: ['draft'] });
    await page.getByRole('button', { name: 'Remove filter search: “camera”' }).click();
    await expect.poll(() => page.locator('#library-search').inputValue()).toBe('');
    await expect.poll(routeFilter).toBe('{"status":["draft"]}');
    await page.getByRole('button', { name: 'Remove filter status: draft' }).click();
    await expect.poll(total).toBe(`${TOTAL} samples`);
    expect(await page.getByTestId('filter-chips').count()).toBe(0);

    // The filters no menu shows: the chosen samples and the hygiene flags.
    await page.goto(`${server.url}#/library?filter=${encodeURIComponent(JSON.stringify({ sampleIds: [1, 2, 3], clipInSeveralSplits: true, hasContradiction: true }))}`);
    await expect.poll(async () => (await chips().allTextContents()).sort()).toEqual(['3 chosen samples×', 'clip in several splits×', 'contradicts the analyzer×']);
    await page.getByRole('button', { name: 'Remove filter 3 chosen samples' }).click();
    await expect.poll(() => chips().count()).toBe(2);
    await page.getByRole('button', { name: 'clear filters' }).click();
  });

  it('counts each facet under the other active filters, not its own', async () => {
    await openLibrary();
    expect(await facetCounts('Media')).toEqual({ missing: String(2 * EXTRA_PER_FILE), ok: String(DEMO_SAMPLES) });
    const media = await openFacet('Media');
    await media.locator('.facet-option[data-value="missing"] input').check();
    await page.keyboard.press('Escape');
    await expect.poll(total).toBe(`${2 * EXTRA_PER_FILE} samples`);
    // Sources under media = missing: only the two extra files (the demo's four hold no such sample).
    await expect.poll(async () => {
      const sources = await facetCounts('Source');
      return Object.entries(sources).filter(([, count]) => count !== '0').map(([path, count]) => `${path.replace(folder, '')} ${count}`);
    }).toEqual([`/one/extra.json ${EXTRA_PER_FILE}`, `/two/extra.json ${EXTRA_PER_FILE}`]);
    // The Media menu's own choice does not narrow its own counts.
    expect(await facetCounts('Media')).toEqual({ missing: String(2 * EXTRA_PER_FILE), ok: String(DEMO_SAMPLES) });
    expect(await facetCounts('Status')).toEqual({ draft: String(2 * EXTRA_PER_FILE) });
  });

  it('marks rows whose clip is missing, filters them by Media, and searches clip names', async () => {
    await page.goto(`${server.url}#/library?filter=${encodeURIComponent(JSON.stringify({ media: ['missing'] }))}`);
    await expect.poll(total).toBe(`${2 * EXTRA_PER_FILE} samples`);
    const markers = page.locator('.table-spacer .row .clip-missing');
    await expect.poll(() => markers.count()).toBeGreaterThan(5);
    expect(await markers.first().getAttribute('title')).toBe('clip missing: relink it');
    await page.getByRole('button', { name: 'clear filters' }).click();
    await expect.poll(total).toBe(`${TOTAL} samples`);
    expect(await page.locator('.table-spacer .row[data-id="1"] .clip-missing').count()).toBe(0);

    const clip = page.getByLabel('Search clip names');
    await clip.fill('LOST_1');
    await expect.poll(routeFilter).toBe('{"clip":"LOST_1"}');
    // lost_1 and lost_10 … lost_19
    await expect.poll(total).toBe('11 samples');
    await expect.poll(() => chips().allTextContents()).toEqual(['clip“LOST_1”×']);
    await page.screenshot({ path: join(SCREENSHOTS, 'library-missing-media.png') });
    await page.getByRole('button', { name: 'clear filters' }).click();
    await expect.poll(() => clip.inputValue()).toBe('');
    await expect.poll(total).toBe(`${TOTAL} samples`);

    // A clip search still waiting (debounced) when Enter opens Review dies with the Library.
    await clip.fill('lost_2');
    await rows().focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.locator('.review[data-sample-id="1"]').waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => location.hash)).toBe('#/review/1');
  });

  it('asks before changing more than 100 samples, and undoes a bulk change exactly', async () => {
    await openLibrary();
    const row = (id: number) => page.locator(`.table-spacer .row[data-id="${id}"]`);
    const pill = (id: number) => row(id).locator('.status-pill').textContent();
    const setStatus = (status: string) => page.getByLabel('Set status of selected').selectOption(status);
    // The newest toast is the last; earlier changes' toasts (with their own Undo) may still show.
    const newestToast = () => page.locator('.toast').last();
    // Mixed states first: 1 accepted, 2 reviewed, 3 draft, tagged differently.
    await row(1).click();
    await setStatus('accepted');
    await expect.poll(() => pill(1)).toBe('accepted');
    await row(2).click();
    await setStatus('reviewed');
    await page.getByLabel('Tag to add or remove').fill('keep');
    await page.getByLabel('Tag to add or remove').press('Enter');
    await expect.poll(() => row(2).locator('.col-tags').textContent()).toBe('keep');

    await row(1).click();
    await row(3).click({ modifiers: ['Shift'] });
    await setStatus('rejected');
    await expect.poll(() => Promise.all([1, 2, 3].map(pill))).toEqual(['rejected', 'rejected', 'rejected']);
    await expect.poll(() => newestToast().textContent()).toBe('Set the status of 3 samples to rejected.Undo');
    await newestToast().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => Promise.all([1, 2, 3].map(pill))).toEqual(['accepted', 'reviewed', 'draft']);
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('Undone: 3 samples are back as they were.'));

    await page.getByLabel('Tag to add or remove').fill('keep');
    await page.getByRole('button', { name: '− tag' }).click();
    await expect.poll(() => row(2).locator('.col-tags').textContent()).toBe('');
    await expect.poll(() => newestToast().textContent()).toBe('Removed “keep” from 3 samples.Undo');
    await newestToast().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row(2).locator('.col-tags').textContent()).toBe('keep');

    // Ctrl+A over all 120: the change waits for a yes.
    await rows().focus();
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.getByTestId('bulk-bar').locator('strong').textContent()).toBe(`${TOTAL} selected`);
    await setStatus('accepted');
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.locator('h2').textContent()).toBe(`Change ${TOTAL} samples?`);
    await page.screenshot({ path: join(SCREENSHOTS, 'library-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(statusCounts()).toEqual({ accepted: 1, reviewed: 1, draft: TOTAL - 2 });
    await setStatus('accepted');
    await dialog.getByRole('button', { name: `Change ${TOTAL} samples` }).click();
    await expect.poll(statusCounts).toEqual({ accepted: TOTAL });
    // Ctrl+Z in the Library undoes the last bulk change too.
    await rows().focus();
    await page.keyboard.press('Control+z');
    await expect.poll(statusCounts).toEqual({ accepted: 1, reviewed: 1, draft: TOTAL - 2 });
    await expect.poll(() => Promise.all([1, 2, 3].map(pill))).toEqual(['accepted', 'reviewed', 'draft']);
    await page.keyboard.press('Escape');
  });

  it('gives every percentage as a share of the samples, and tells sources apart by their shortest names', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('stats').waitFor();
    // 30 samples have two lint issues each: the card counts samples, not issues.
    const lintCard = page.locator('.card', { hasText: 'with lint issues' });
    await expect.poll(() => lintCard.locator('.card-value').textContent()).toBe(String(EXTRA_PER_FILE));
    expect(await lintCard.locator('.card-sub').textContent()).toBe('25% of samples');
    const sourceChart = page.locator('.chart', { hasText: 'Source' });
    const labels = await sourceChart.locator('.bar-label').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['sft.json', 'rl.json', 'questions.json', 'Pan_Left.jsonl', 'one/extra.json', 'two/extra.json']));
    const sft = sourceChart.locator('.bar-row', { hasText: /^sft\.json/ });
    expect(await sft.getAttribute('title')).toContain(join(folder, 'demo-clips', 'sft.json'));
    // Every demo sample is in sft.json: all 60 of 120 samples, though the sources hold 300 memberships.
    expect(await sft.locator('.bar-share').textContent()).toBe('50%');
    const emptyThink = page.locator('.chart', { hasText: 'Lint' }).locator('.bar-row', { hasText: 'empty-think' });
    expect(await emptyThink.locator('.bar-share').textContent()).toBe('25%');
    await page.screenshot({ path: join(SCREENSHOTS, 'stats-shares.png'), fullPage: true });
  });

  it("records a dropped file by the person's name for it, and says its clips are missing", async () => {
    await page.keyboard.press('Alt+1');
    await expect.poll(total).toBe(`${TOTAL} samples`);
    const records = [0, 1].map((index) => ({
      messages: [
        { role: 'user', content: `<video>Does the camera tilt up? (dropped ${index})\nOptions:\nA. No\nB. Yes` },
        { role: 'assistant', content: '<observation>The scene slides down.</observation>\n<think>A tilt up.</think>\n<answer>B</answer>' },
      ],
      videos: [`video/gone_${index}.mp4`],
    }));
    await page.evaluate((json) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([json], 'dropped-lost.json', { type: 'application/json' }));
      for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, JSON.stringify(records));
    const toast = page.locator('.toast', { hasText: 'Imported dropped-lost.json' });
    await expect.poll(() => toast.textContent(), { timeout: 30_000 }).toContain('2 clips are missing: relink them from Review.');
    await toast.getByRole('button', { name: 'Show missing' }).click();
    await expect.poll(routeFilter).toBe('{"media":["missing"]}');
    await expect.poll(total).toBe(`${2 * EXTRA_PER_FILE + 2} samples`);
    // Its source is the file's own name, not the temporary copy the host read.
    await expect.poll(async () => Object.keys(await facetCounts('Source'))).toContain('dropped-lost.json');
    expect((await facetCounts('Source'))['dropped-lost.json']).toBe('2');
    expect(Object.keys(await facetCounts('Source')).filter((path) => path.includes('frustum-drop-'))).toEqual([]);
  });

  it('kept the page free of script errors', () => {
    expect(pageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});
