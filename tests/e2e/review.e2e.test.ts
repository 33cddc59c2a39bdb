// The Review screen's defects of issue #9 item 4, each driven in real Chromium against
// `frustum serve` on its own demo project: Ctrl+Enter saves once and moves on; a sample without
// a chain writes nothing until typed in; the motion timeline spans the clip in the player's
// 1-based, whole frame numbers and shows values at the playhead; E puts the caret after the
// text; the Review tab reopens the sample last reviewed; a missing clip is marked and relinked
// from the studio. No timing assertions here (bench/).
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoProject, openStudioSession, runFrustum, SCREENSHOTS, type ServedStudio, type StudioSession } from './studioServer';

/** `frustum demo --count 4`: 60 samples with chains over 4 clips of 50 frames; the import below adds two RL samples. */
const DEMO_SAMPLES = 60;
const CHAINLESS_ID = DEMO_SAMPLES + 1;
const MISSING_CLIP_ID = DEMO_SAMPLES + 2;
const TOTAL = DEMO_SAMPLES + 2;

let folder: string;
let project: string;
let movedFolder: string;
let session: StudioSession | undefined;
let server: ServedStudio;
let page: Page;
const pageErrors: string[] = [];

function samplesWithChain(): number {
  return (JSON.parse(runFrustum('stats', project, '--json')) as { samples: { withChain: number } }).samples.withChain;
}

/** Opens a sample by its address and waits until Review shows it (not the one before it). */
async function openSample(id: number): Promise<void> {
  await page.goto(`${server.url}#/review/${id}`);
  await page.locator(`.review[data-sample-id="${id}"][aria-busy="false"]`).waitFor();
}

function shownSampleId(): Promise<string | null> {
  return page.locator('.review').getAttribute('data-sample-id');
}

/** The revisions the history panel lists, once it has loaded them (it fetches after the sample shows). */
async function revisionCount(): Promise<number> {
  await page.locator('[data-testid="history-panel"][aria-busy="false"]').waitFor();
  return page.getByTestId('history-panel').locator('.revision').count();
}

function errorToasts(): Promise<string[]> {
  return page.locator('.toast.error').allTextContents();
}

beforeAll(async () => {
  ({ folder, project } = createDemoProject('frustum-review-e2e-'));
  // Two RL records (RL samples have no chain): one on a demo clip, one on a clip that is not
  // where its dataset says; a copy of it waits in another folder, for the relink.
  const clips = join(folder, 'demo-clips');
  const records = [
    { problem_id: 'review_e2e_chainless', problem: 'Is the camera still?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], answer: '<answer>A</answer>', videos: ['clips/0000_dolly_in_slow.mp4'] },
    { problem_id: 'review_e2e_moved', problem: 'Does the camera move backward?', data_type: 'video', problem_type: 'multiple choice', options: ['A. No', 'B. Yes'], answer: '<answer>B</answer>', videos: ['clips/moved_clip.mp4'] },
  ];
  writeFileSync(join(clips, 'review-e2e-rl.json'), JSON.stringify(records));
  movedFolder = join(folder, 'moved');
  mkdirSync(movedFolder);
  copyFileSync(join(clips, 'clips', '0001_dolly_out_medium.mp4'), join(movedFolder, 'moved_clip.mp4'));
  runFrustum('import', project, join(clips, 'review-e2e-rl.json'));
  session = await openStudioSession(project, pageErrors, { viewport: { width: 1280, height: 800 } });
  ({ server, page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('Review in Chromium', () => {
  it('saves once and moves to the next sample on Ctrl+Enter, without a conflict', async () => {
    await openSample(5);
    expect(await page.getByTestId('position').textContent()).toBe(`5 / ${TOTAL}`);
    const before = await revisionCount();
    const think = page.getByTestId('field-think');
    const typed = 'Saved by Ctrl+Enter on the way to the next sample.';
    await think.fill(typed);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('unsaved changes');
    await page.keyboard.press('Control+Enter');
    await expect.poll(shownSampleId).toBe('6');
    await expect.poll(() => page.getByTestId('position').textContent()).toBe(`6 / ${TOTAL}`);
    expect(await page.getByTestId('conflict').count()).toBe(0);
    expect(await errorToasts()).toEqual([]);
    // Back on sample 5: one new revision, with the text typed.
    await page.keyboard.press('p');
    await page.locator('.review[data-sample-id="5"][aria-busy="false"]').waitFor();
    await expect.poll(() => think.inputValue()).toBe(typed);
    await expect.poll(revisionCount).toBe(before + 1);
    expect(await page.getByTestId('save-state').textContent()).toBe('');
    expect(await errorToasts()).toEqual([]);
  });

  it('writes nothing for a sample without a chain that is only looked at, and saves what is typed in it', async () => {
    const withChain = samplesWithChain();
    await openSample(CHAINLESS_ID);
    expect(await page.getByTestId('question').textContent()).toContain('Is the camera still?');
    expect(await page.getByTestId('field-observation').inputValue()).toBe('');
    expect(await revisionCount()).toBe(0);
    // An untouched empty editor is not an edit: nothing to save, now or when leaving.
    expect(await page.getByTestId('save-state').textContent()).toBe('');
    expect(await page.getByTestId('save').isDisabled()).toBe(true);
    expect(await page.getByTestId('reward').textContent()).toBe('no chain yet');
    await page.keyboard.press('n');
    await page.locator(`.review[data-sample-id="${MISSING_CLIP_ID}"][aria-busy="false"]`).waitFor();
    await page.keyboard.press('p');
    await page.locator(`.review[data-sample-id="${CHAINLESS_ID}"][aria-busy="false"]`).waitFor();
    await page.goto(`${server.url}#/library`);
    await page.getByTestId('library-total').waitFor();
    await openSample(CHAINLESS_ID);
    expect(await revisionCount()).toBe(0);
    expect((await page.locator('.toast').allTextContents()).filter((text) => text.includes('saved as you left it'))).toEqual([]);
    expect(samplesWithChain()).toBe(withChain);
    // Typing in it is an edit like any other.
    await page.getByTestId('field-observation').fill('The scene holds still from the first frame to the last.');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('unsaved changes');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
    await expect.poll(revisionCount).toBe(1);
    expect(samplesWithChain()).toBe(withChain + 1);
  });

  it('puts the caret after the text when E starts editing', async () => {
    await openSample(7);
    const observation = page.getByTestId('field-observation');
    const text = await observation.inputValue();
    expect(text.length).toBeGreaterThan(0);
    await page.keyboard.press('e');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['testid'])).toBe('field-observation');
    await page.keyboard.type(' Typed after E.');
    expect(await observation.inputValue()).toBe(`${text} Typed after E.`);
    await page.keyboard.press('Control+z');
    await expect.poll(() => observation.inputValue()).toBe(text);
  });

  it('draws the motion timeline over the whole clip in the player\'s frame numbers, with values at the playhead', async () => {
    await openSample(1);
    const frameNumber = page.getByTestId('frame-number');
    await expect.poll(() => frameNumber.textContent(), { timeout: 20_000 }).toMatch(/^frame 1 \/ \d+$/);
    const frameCount = Number(/\/ (\d+)/.exec((await frameNumber.textContent()) ?? '')?.[1]);
    expect(frameCount).toBe(50);
    const timeline = page.getByTestId('motion-timeline');
    await timeline.waitFor({ timeout: 20_000 });
    const legendFrame = page.getByTestId('timeline-frame');
    const values = page.getByTestId('timeline-legend').locator('.legend-value');

    // Not hovered: the values at the playhead, in the player's numbering.
    await expect.poll(() => legendFrame.textContent()).toBe('frame 1');
    expect(await values.count()).toBe(5);
    for (const value of await values.allTextContents()) expect(value).toMatch(/^-?\d+(\.\d+)?$/);
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => frameNumber.textContent()).toBe('frame 11 / 50');
    await expect.poll(() => legendFrame.textContent()).toBe('frame 11');

    // The axis: whole frames from 1, never past the clip.
    const ticks = (await timeline.getAttribute('data-x-ticks'))?.split(' ') ?? [];
    expect(ticks.length).toBeGreaterThan(2);
    for (const tick of ticks) {
      expect(tick).toMatch(/^\d+$/);
      expect(Number(tick)).toBeGreaterThanOrEqual(1);
      expect(Number(tick)).toBeLessThanOrEqual(frameCount);
    }

    // Hovered: the frame under the pointer, from the first frame at the left edge to the last at the right.
    const plot = timeline.locator('.u-over');
    const box = await plot.boundingBox();
    if (!box) throw new Error('the timeline plot has no box');
    const middle = box.y + box.height / 2;
    // Two pixels in from the edges: the browser rounds a pointer position to whole pixels, and the
    // plot's last pixel column rounds to outside it.
    await page.mouse.move(box.x + box.width - 2, middle);
    await expect.poll(() => legendFrame.textContent()).toBe(`frame ${frameCount}`);
    await page.mouse.move(box.x + 2, middle);
    await expect.poll(() => legendFrame.textContent()).toBe('frame 1');
    for (const value of await values.allTextContents()) expect(value).not.toBe('--');

    // A click seeks the player to exactly the frame under it (frame f sits at (f - 1) / (count - 1) of the width).
    const at = (frame: number) => box.x + Math.min(((frame - 1) / (frameCount - 1)) * box.width, box.width - 2);
    await page.mouse.click(at(30), middle);
    await expect.poll(() => frameNumber.textContent()).toBe('frame 30 / 50');
    await page.mouse.click(at(frameCount), middle);
    await expect.poll(() => frameNumber.textContent()).toBe(`frame ${frameCount} / 50`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
    await expect.poll(() => legendFrame.textContent()).toBe(`frame ${frameCount}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-timeline.png') });
  });

  it('reopens the sample last reviewed from the Review tab and Alt+2', async () => {
    await openSample(9);
    // Left by the address bar (the hash keeps no sample for the Library), then the tab.
    await page.goto(`${server.url}#/library`);
    await page.getByTestId('library-total').waitFor();
    await page.getByRole('tab', { name: 'Review' }).click();
    await expect.poll(shownSampleId).toBe('9');
    expect(await page.evaluate(() => location.hash)).toBe('#/review/9');
    // Back to the Library by the browser's Back, then Alt+2.
    await page.goBack();
    await page.getByTestId('library-total').waitFor();
    await page.keyboard.press('Alt+2');
    await expect.poll(shownSampleId).toBe('9');
    // Stats opens the Library with a new filter; the tab still returns to sample 9.
    await page.keyboard.press('Alt+6');
    await page.getByTestId('stats').waitFor();
    await page.locator('.chart', { hasText: 'Status' }).getByRole('button', { name: /draft/ }).click();
    await page.getByTestId('library-total').waitFor();
    await page.getByRole('tab', { name: 'Review' }).click();
    await expect.poll(shownSampleId).toBe('9');
  });

  it('marks a missing clip and relinks it to a folder typed in the studio', async () => {
    await openSample(MISSING_CLIP_ID);
    const marker = page.getByTestId('media-marker');
    await expect.poll(() => marker.textContent()).toBe('missing');
    expect(await marker.getAttribute('title')).toContain('moved_clip.mp4');
    const placeholder = page.locator('.player.placeholder');
    expect(await placeholder.textContent()).toContain('moved_clip.mp4');
    await placeholder.getByRole('button', { name: 'Relink…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Relink clips' });
    await dialog.waitFor();
    // The web mode cannot show a folder picker: only the desktop app offers Browse….
    expect(await dialog.getByRole('button', { name: 'Browse…' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'review-relink.png') });
    // A folder without the file: said so, nothing changed.
    await dialog.getByLabel('Folder', { exact: true }).fill(join(folder, 'demo-clips', 'ground_truth'));
    await dialog.getByRole('button', { name: 'Relink', exact: true }).click();
    await expect.poll(() => dialog.getByTestId('relink-result').textContent()).toContain('not found');
    await dialog.getByLabel('Folder', { exact: true }).fill(movedFolder);
    await dialog.getByRole('button', { name: 'Relink', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByTestId('frame-number').textContent(), { timeout: 20_000 }).toMatch(/^frame 1 \/ \d+$/);
    expect(await marker.count()).toBe(0);
    expect(await page.locator('.toast.success').allTextContents()).toContainEqual(expect.stringContaining('Relinked 1 clip'));
  });

  it('kept the page free of script errors', () => {
    expect(pageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});
