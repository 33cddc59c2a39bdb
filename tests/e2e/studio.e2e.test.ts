// The studio end to end in real Chromium against `frustum serve` on a small demo project
// (issue #4 item 7): review a sample by keyboard, edit, save, reload and find the revision;
// bulk-change a status; the token is required. Screenshots of each screen land in
// test-artifacts/screenshots/ for a person to look at. No timing assertions here (bench/).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoProject, openStudioSession, runFrustum, SCREENSHOTS, type ServedStudio, type StudioSession } from './studioServer';


let folder: string;
let project: string;
let session: StudioSession | undefined;
let server: ServedStudio;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** Opens a sample by its address and waits until Review shows it (not the one before it). */
async function openSample(view: Page, id: number): Promise<void> {
  await view.goto(`${server.url}#/review/${id}`);
  await view.locator(`.review[data-sample-id="${id}"][aria-busy="false"]`).waitFor();
}

/** The Library filter in the address, once the debounced search has gone out. */
function routeFilter(): Promise<string> {
  return page.evaluate(() => new URLSearchParams(location.hash.split('?')[1] ?? '').get('filter') ?? '');
}

function stats(): { samples: { byStatus: Record<string, number> } } & Record<string, unknown> {
  return JSON.parse(runFrustum('stats', project, '--json'));
}

beforeAll(async () => {
  ({ folder, project } = createDemoProject('frustum-e2e-'));
  session = await openStudioSession(project, pageErrors, { viewport: { width: 1280, height: 720 } });
  ({ server, browser, page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the studio in Chromium', () => {
  it('refuses requests without the right token', async () => {
    expect((await fetch(`${server.origin}/`)).status).toBe(401);
    expect((await fetch(`${server.origin}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`${server.origin}/app.js`)).status).toBe(401);
    expect((await fetch(server.url)).status).toBe(200);
  });

  it('lists the samples and bulk-changes a status', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('60 samples');
    await expect.poll(() => page.getByTestId('connection').textContent()).toBe('connected');
    const rows = page.locator('.table-spacer .row[data-id]');
    await rows.nth(0).click();
    await rows.nth(2).click({ modifiers: ['Shift'] });
    await rows.nth(5).click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(() => page.getByTestId('bulk-bar').locator('strong').textContent()).toBe('4 selected');
    await page.getByLabel('Set status of selected').selectOption('accepted');
    await expect.poll(() => page.locator('.table-spacer .row .status-pill.accepted').count()).toBe(4);
    expect(stats().samples.byStatus).toMatchObject({ accepted: 4, draft: 56 });
    await page.screenshot({ path: join(SCREENSHOTS, 'library.png') });
  });

  it('filters, saves a view, selects all, and opens Review over the filtered list', async () => {
    await page.getByRole('button', { name: /^Primitive/ }).click();
    await page.locator('.facet-option', { hasText: 'Pan_Left' }).locator('input').check();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('4 samples');
    await page.getByLabel('View name').fill('pan left');
    await page.getByLabel('View name').press('Enter');
    await expect.poll(() => page.getByLabel('Saved views').locator('option').allTextContents()).toContain('pan left');
    await page.getByTestId('library-rows').focus();
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.getByTestId('bulk-bar').locator('strong').textContent()).toBe('4 selected');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('2 / 4');
    await page.keyboard.press('Alt+1');
    await page.getByRole('button', { name: 'clear filters' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('60 samples');
    await page.getByLabel('Saved views').selectOption('pan left');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('4 samples');
    await page.getByRole('button', { name: 'clear filters' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('60 samples');
    await page.locator('#library-search').fill('clockwise');
    await expect.poll(routeFilter).toBe('{"search":"clockwise"}');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toMatch(/^([1-9]|[1-5]\d) samples?$/);
    await page.locator('#library-search').fill('');
    await expect.poll(routeFilter).toBe('');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('60 samples');
    // A search still waiting (debounced) when Enter opens Review is dropped, never applied later
    // from Review, where it used to route back to the Library.
    await page.locator('#library-search').fill('tilt');
    await page.getByTestId('library-rows').focus();
    await page.keyboard.press('Enter');
    await page.locator('.review[data-sample-id="1"]').waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => location.hash)).toBe('#/review/1');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('60 samples');
  });

  it('scrubs by keys, edits and saves a chain, and finds it after a reload', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('library-rows').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const frameNumber = page.getByTestId('frame-number');
    const canvas = page.getByTestId('frame-canvas');
    await expect.poll(() => canvas.getAttribute('data-frame'), { timeout: 20_000 }).toBe('0');
    const total = Number(/\/ (\d+)/.exec((await frameNumber.textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(20);
    const pixels = () => canvas.evaluate((element) => (element as HTMLCanvasElement).toDataURL('image/png'));
    const first = await pixels();

    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => frameNumber.textContent()).toBe(`frame 4 / ${total}`);
    await expect.poll(() => canvas.getAttribute('data-frame')).toBe('3');
    expect(await pixels()).not.toBe(first);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => canvas.getAttribute('data-frame')).toBe('13');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => frameNumber.textContent()).toBe(`frame 13 / ${total}`);
    await page.keyboard.press('End');
    await expect.poll(() => canvas.getAttribute('data-frame')).toBe(String(total - 1));
    await page.keyboard.press('Home');
    await expect.poll(() => canvas.getAttribute('data-frame')).toBe('0');
    expect(await pixels()).toBe(first);
    // Space plays, L shuttles forward, K stops.
    await page.keyboard.press('Space');
    await expect.poll(async () => Number(await canvas.getAttribute('data-frame'))).toBeGreaterThan(3);
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('play').textContent()).toBe('▶');
    await page.keyboard.press('Home');
    await page.keyboard.press('l');
    await page.keyboard.press('l');
    await expect.poll(() => page.locator('.transport .rate').textContent()).toContain('2×');
    await page.keyboard.press('k');
    await page.keyboard.press('Home');

    // The analyzer's timeline for this clip: `frustum demo` stored every clip's reading.
    await expect(page.getByTestId('motion-timeline').waitFor({ timeout: 15_000 })).resolves.toBeUndefined();
    // The lens the reading used (read from the clip where it turns, else the 60° default).
    expect(await page.locator('.timeline-panel h3').textContent()).toMatch(/ · \d+° lens · /);

    // Emptying the observation is a lint error at once; new text clears it.
    const observation = page.getByTestId('field-observation');
    const lint = page.getByTestId('lint');
    await observation.fill('');
    await expect.poll(() => lint.textContent()).toContain('empty-observation');
    const edited = 'Frames 1–50: the far background expands from the centre while near boxes slide outward faster (edited in the e2e test).';
    await observation.fill(edited);
    await expect.poll(() => lint.textContent()).not.toContain('empty-observation');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('unsaved changes');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: join(SCREENSHOTS, 'review.png') });

    // Digits choose an option; N / P step through the list (an unchanged editor leaves at once).
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('field-answer').inputValue()).toBe('A');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('field-answer').inputValue()).toBe('B');
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('2 / 60');
    await page.keyboard.press('p');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('1 / 60');
    // Shift+N skips the samples accepted in the Library test (1, 2, 3, 6) to the next draft.
    await page.keyboard.press('Shift+N');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('4 / 60');
    await page.keyboard.press('Shift+N');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('5 / 60');
    await page.keyboard.press('Shift+N');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('7 / 60');
    await page.goto(`${server.url}#/review/1`);
    await expect.poll(() => page.getByTestId('position').textContent()).toBe('1 / 60');

    await page.reload();
    await expect.poll(() => page.getByTestId('field-observation').inputValue(), { timeout: 20_000 }).toBe(edited);
    const history = page.getByTestId('history-panel');
    await expect.poll(() => history.locator('.revision').count()).toBe(2);
    const newest = history.locator('.revision').first();
    expect(await newest.textContent()).toContain('current');
    await history.locator('.revision').nth(1).click();
    await expect.poll(async () => (await page.getByTestId('revision-diff').locator('pre ins').allTextContents()).join(' ')).toContain('e2e');
    // A primitive label for the clip, kept across a reload.
    const panLeft = page.getByTestId('labels-panel').locator('.label-row', { hasText: 'Pan Left' });
    await panLeft.getByRole('button', { name: 'yes' }).click();
    await expect.poll(() => panLeft.getByRole('button', { name: 'yes' }).getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await expect.poll(() => page.getByTestId('labels-panel').locator('.label-row', { hasText: 'Pan Left' }).getByRole('button', { name: 'yes' }).getAttribute('aria-pressed')).toBe('true');
    await history.locator('.revision').nth(1).click();

    // Restore appends the old text as a new revision; history stays append-only.
    await page.getByRole('button', { name: /^Restore r/ }).click();
    await expect.poll(() => page.getByTestId('field-observation').inputValue()).not.toBe(edited);
    await expect.poll(() => history.locator('.revision').count()).toBe(3);
  });

  it('shows a newer save from another window instead of overwriting it', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    try {
      for (const view of [page, other]) await openSample(view, 2);
      // An untouched editor follows the other window's save silently.
      await other.getByTestId('field-think').fill('Saved first, from the other window.');
      await other.keyboard.press('Control+s');
      await expect.poll(() => other.getByTestId('save-state').textContent()).toBe('Saved');
      await expect.poll(() => page.getByTestId('field-think').inputValue()).toBe('Saved first, from the other window.');
      // An editor with unsaved text shows the newer revision and lets the person choose.
      await page.getByTestId('field-think').fill('Mine, typed while the other window saved.');
      await other.getByTestId('field-think').fill('Saved second, from the other window.');
      await other.keyboard.press('Control+s');
      await expect.poll(() => page.getByTestId('conflict').count()).toBe(1);
      expect(await page.getByTestId('conflict').textContent()).toContain('Saved second, from the other window.');
      await page.keyboard.press('Control+s');
      await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('A newer revision exists'));
      await page.getByRole('button', { name: 'Keep mine (save over it)' }).click();
      await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
      await expect.poll(() => page.getByTestId('history-panel').locator('.revision').count()).toBe(4);
      await expect.poll(() => other.getByTestId('field-think').inputValue()).toBe('Mine, typed while the other window saved.');
    } finally {
      await other.close();
    }
  });

  it('saves an edit after a pause in typing, and an edit left behind when the Library opens', async () => {
    const sampleUrl = `${server.url}#/review/3`;
    await openSample(page, 3);
    const think = page.getByTestId('field-think');
    const revisions = page.getByTestId('history-panel').locator('.revision');
    await expect.poll(() => revisions.count()).toBeGreaterThan(0);
    const before = await revisions.count();
    await think.fill('Saved by itself after a pause in typing.');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('unsaved changes');
    // No key pressed: the pause saves it.
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 20_000 }).toBe('Saved');
    await expect.poll(() => revisions.count()).toBe(before + 1);
    // Typed, then straight to the Library: the editor saves what it leaves behind.
    await think.fill('Left behind on the way to the Library.');
    await page.goto(`${server.url}#/library`);
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('saved as you left it'));
    await page.goto(sampleUrl);
    await page.reload();
    await expect.poll(() => page.getByTestId('field-think').inputValue(), { timeout: 20_000 }).toBe('Left behind on the way to the Library.');
    await expect.poll(() => revisions.count()).toBe(before + 2);
    // Typed, then another sample by its address: saved to the sample it was typed on, not the next.
    await page.goto(`${server.url}#/review/4`);
    await expect.poll(() => think.inputValue()).not.toBe('Left behind on the way to the Library.');
    const nextThink = await think.inputValue();
    await page.goto(sampleUrl);
    await expect.poll(() => think.inputValue()).toBe('Left behind on the way to the Library.');
    await think.fill('Left behind on the way to sample 4.');
    await page.goto(`${server.url}#/review/4`);
    await expect.poll(() => page.locator('.toast').allTextContents()).toContainEqual(expect.stringContaining('sample 3 was saved as you left it'));
    await expect.poll(() => think.inputValue()).toBe(nextThink);
    await page.goto(sampleUrl);
    await expect.poll(() => think.inputValue()).toBe('Left behind on the way to sample 4.');
  });

  it('imports JSON files dropped on the page', async () => {
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toMatch(/^\d+ samples?$/);
    const totalBefore = Number((await page.getByTestId('library-total').textContent())?.replace(/\D/g, ''));
    const record = [{
      messages: [
        { role: 'user', content: '<video>Does the camera pan to the left?\nOptions:\nA. No\nB. Yes' },
        { role: 'assistant', content: '<observation>The scene drifts right.</observation>\n<think>A pan left.</think>\n<answer>B</answer>' },
      ],
      videos: ['video/dropped_0.mp4'],
    }];
    await page.evaluate((json) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([json], 'dropped.json', { type: 'application/json' }));
      for (const type of ['dragenter', 'dragover', 'drop']) window.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, JSON.stringify(record));
    await expect.poll(() => page.locator('.toast').allTextContents(), { timeout: 20_000 }).toContainEqual(expect.stringContaining('Imported dropped.json'));
    await expect.poll(async () => Number((await page.getByTestId('library-total').textContent())?.replace(/\D/g, ''))).toBe(totalBefore + 1);
  });

  it('shows statistics whose numbers open the Library', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('stats').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'stats.png') });
    await page.locator('.chart', { hasText: 'Status' }).getByRole('button', { name: /accepted/ }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('4 samples');
    // A chain-length bucket opens the samples in it.
    await page.keyboard.press('Alt+6');
    const buckets = page.locator('.chart', { hasText: 'Chain length' }).locator('.bar-row');
    await buckets.first().waitFor();
    const counts = (await buckets.locator('.bar-count').allTextContents()).map(Number);
    const fullest = counts.indexOf(Math.max(...counts));
    await buckets.nth(fullest).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(`${counts[fullest]} samples`);
  });

  it('shows every shortcut in the help overlay and switches theme', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByTestId('frame-number').waitFor();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const text of ['J / K / L', 'Shift+N / Shift+P', 'Ctrl/⌘+Enter', 'Ctrl/⌘+A']) expect(await help.textContent()).toContain(text.replaceAll(' / ', ' / '));
    await page.screenshot({ path: join(SCREENSHOTS, 'help.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    const before = await page.evaluate(() => document.documentElement.dataset['theme']);
    await page.keyboard.press('Alt+t');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).not.toBe(before);
    expect(await page.evaluate(() => localStorage.getItem('frustum.theme'))).not.toBe(before);
    await page.screenshot({ path: join(SCREENSHOTS, `review-${await page.evaluate(() => document.documentElement.dataset['theme'])}.png`) });
  });

  it('runs a project analysis as a job from the jobs panel, with its log, and frustum jobs sees it', async () => {
    await page.getByTestId('jobs-button').click();
    const panel = page.getByRole('dialog', { name: 'Jobs' });
    await panel.getByRole('button', { name: 'Analyze project' }).click();
    const row = panel.locator('.job', { hasText: 'analyze the project' }).first();
    await expect.poll(() => row.locator('.job-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await row.getByRole('button', { name: 'log' }).click();
    await expect.poll(() => row.locator('.job-log').textContent()).toMatch(/succeeded/);
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs.png') });
    const listed = JSON.parse(runFrustum('jobs', project, '--json')) as { jobs: Array<{ kind: string; state: string }> };
    expect(listed.jobs[0]).toMatchObject({ kind: 'analyze', state: 'succeeded' });
    await page.keyboard.press('Escape');
  });

  it('shows in Train what this machine has for GPU training, and the project\'s jobs', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByTestId('train').waitFor();
    // CI's machine has python3 and no NVIDIA driver: both are said, with how to get what is missing.
    await expect.poll(() => page.getByTestId('environment-python').textContent(), { timeout: 60_000 }).toMatch(/✓ 3\.\d+/);
    expect(await page.getByTestId('environment-gpus').textContent()).toMatch(/✗|✓/);
    expect(await page.locator('.train-jobs .job', { hasText: 'analyze the project' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'train.png') });
  });

  it('kept the page free of script errors', () => {
    expect(pageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});
