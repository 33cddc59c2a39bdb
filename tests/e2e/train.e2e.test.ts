// The Train view end to end in real Chromium against `frustum serve` on a demo project, with the
// fake trainers of tests/fakes on the server's PATH and PYTHONPATH (they write what LLaMA-Factory
// and EasyR1 write, paced by FAKE_*_STEP_SECONDS): fill the new-run form and read its YAML
// preview, see a bad override named, start an SFT run and watch its loss chart gain points while
// it runs, then a GRPO run whose reward chart, clicked, opens that step's rollouts. Screenshots
// land in test-artifacts/screenshots/. No timing assertions here (bench/trainChart.ts). The fakes
// need python3 with PyYAML: skipped without it off CI, a failure on CI (tests/support/python.ts).
// The built-in trainer's suite needs neither Python nor fakes: it really trains (TensorFlow.js,
// seconds for the demo's 60 chains) and previews GRPO from the checkpoint that run left.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_EASYR1, FAKE_LLAMAFACTORY, fakeEnginesEnvironment } from '../fakes/environment';
import { HAS_PYTHON_WITH_YAML, PYTHON_SKIP_NOTE } from '../support/python';
import { createDemoProject, openStudioSession, SCREENSHOTS, type ServedStudio, type StudioSession } from './studioServer';

let folder: string;
let session: StudioSession | undefined;
let server: ServedStudio;
let page: Page;
const pageErrors: string[] = [];

const points = async (panel: string): Promise<number> => Number(await page.getByTestId(`metric-chart-${panel}`).getAttribute('data-points') ?? '0');

/** The job id of the run shown (its detail's test id). */
async function shownRunId(): Promise<number> {
  const testId = await page.locator('[data-testid^="run-detail-"]').getAttribute('data-testid');
  return Number(testId?.replace('run-detail-', ''));
}

/** Fills the override rows from the last one on: key, Enter adds the next row. */
async function fillOverrides(rows: Array<[string, string]>): Promise<void> {
  for (const [key, value] of rows) {
    const last = page.getByTestId('override-row').last();
    if ((await last.getByPlaceholder('key').inputValue()) !== '') {
      await last.getByPlaceholder('value').press('Enter');
    }
    const row = page.getByTestId('override-row').last();
    await row.getByPlaceholder('key').fill(key);
    await row.getByPlaceholder('value').fill(value);
  }
}

describe.skipIf(!HAS_PYTHON_WITH_YAML)(`Train in Chromium${PYTHON_SKIP_NOTE}`, () => {
  beforeAll(async () => {
    for (const fake of [join(FAKE_LLAMAFACTORY, 'llamafactory-cli'), join(FAKE_EASYR1, 'verl', 'trainer', 'main.py')]) {
      if (!existsSync(fake)) throw new Error(`${fake} is missing: the Train tests run the fake trainers`);
    }
    const demo = createDemoProject('frustum-train-e2e-');
    folder = demo.folder;
    // Slow enough to watch points arrive while the job runs, quick enough for a test.
    session = await openStudioSession(demo.project, pageErrors, { viewport: { width: 1440, height: 900 }, env: fakeEnginesEnvironment({ FAKE_LLAMAFACTORY_STEP_SECONDS: '0.25', FAKE_EASYR1_STEP_SECONDS: '0.3' }) });
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('opens the new-run form on a project without runs and previews the LLaMA-Factory config', async () => {
    await page.goto(`${server.url}#/train`);
    await page.getByTestId('train-form').waitFor();
    await expect.poll(() => page.getByTestId('train-preview-facts').textContent(), { timeout: 30_000 }).toMatch(/^60 samples · snapshot [0-9a-f]{8}/);
    await expect.poll(() => page.getByTestId('train-preview-file').getAttribute('data-path')).toBe('train.yaml');
    expect(await page.getByTestId('train-preview-file').textContent()).toMatch(/stage: sft/);
    expect(await page.getByRole('tab').allTextContents()).toEqual(expect.arrayContaining(['train.yaml', 'command.sh']));
    await fillOverrides([['max_steps', '24'], ['logging_steps', '1'], ['save_steps', '8']]);
    await expect.poll(() => page.getByTestId('train-preview-file').textContent()).toMatch(/max_steps: 24/);
    await page.getByRole('tab', { name: 'command.sh' }).click();
    await expect.poll(() => page.getByTestId('train-preview-file').textContent()).toMatch(/llamafactory-cli train/);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-form.png') });
  });

  it('names a bad override before and after the server sees it', async () => {
    await fillOverrides([['bad key', '1']]);
    await expect.poll(() => page.getByTestId('train-form-problems').textContent()).toMatch(/"bad key"/);
    await expect.poll(() => page.getByTestId('train-start').isDisabled()).toBe(true);
    const row = page.getByTestId('override-row').last();
    // A value that is not YAML: only the server can say, and it names the key.
    await row.getByPlaceholder('key').fill('warmup_ratio');
    await row.getByPlaceholder('value').fill('[0.1');
    await expect.poll(() => page.getByTestId('train-form-error').textContent()).toMatch(/warmup_ratio/);
    await expect.poll(() => row.getAttribute('class')).toMatch(/bad-row/);
    await row.getByRole('button', { name: /Remove override/ }).click();
    await expect.poll(() => page.locator('[data-testid="train-form-error"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('train-start').isEnabled()).toBe(true);
  });

  it('starts an SFT run and its loss chart gains points while it runs', async () => {
    await page.getByTestId('train-start').click();
    await page.locator('[data-testid^="run-detail-"]').waitFor();
    const jobId = await shownRunId();
    await page.getByTestId(`train-run-${jobId}`).waitFor();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('running');
    await expect.poll(() => points('loss'), { timeout: 30_000 }).toBeGreaterThan(0);
    const early = await points('loss');
    // Live: more points while the job is still running, without a reload.
    await expect.poll(() => points('loss'), { timeout: 30_000 }).toBeGreaterThan(early);
    expect(await page.getByTestId('run-state').textContent()).toBe('running');
    await page.screenshot({ path: join(SCREENSHOTS, 'train-sft-running.png') });
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => points('loss')).toBe(24);
    expect(await page.getByTestId('metric-chart-lr').count()).toBe(1);
    // The lineage: the snapshot of 60 samples, the job, its checkpoints with the last marked.
    const lineage = page.getByTestId(`train-run-${jobId}`).getByTestId(`lineage-${jobId}`);
    await expect.poll(() => lineage.textContent()).toMatch(/60 samples · split train/);
    await expect.poll(() => lineage.textContent()).toMatch(/checkpoint-24/);
    // The log tail shows the trainer's own lines.
    await expect.poll(() => page.getByTestId(`run-log-${jobId}`).textContent(), { timeout: 30_000 }).toMatch(/train metrics|\*\*\*\*\*/);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-sft.png') });
  });

  it('runs GRPO with EasyR1, and a click on the reward chart opens that step\'s rollouts', async () => {
    await page.getByTestId('train-new').click();
    await page.getByTestId('train-form').waitFor();
    await page.getByLabel('EasyR1 · GRPO').check();
    await expect.poll(() => page.getByTestId('train-preview-file').getAttribute('data-path'), { timeout: 30_000 }).toBe('config.yaml');
    await fillOverrides([['trainer.max_steps', '6'], ['worker.rollout.n', '4']]);
    await expect.poll(() => page.getByTestId('train-preview-file').textContent()).toMatch(/max_steps: 6/);
    await expect.poll(() => page.getByTestId('train-start').isEnabled()).toBe(true);
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid^="run-detail-"]').waitFor();
    const jobId = await shownRunId();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => points('reward')).toBeGreaterThanOrEqual(6);
    for (const panel of ['kl', 'entropy', 'length']) expect(await page.getByTestId(`metric-chart-${panel}`).count()).toBe(1);

    // A click in the middle of the reward plot: the step under the pointer.
    const plot = page.getByTestId('metric-chart-reward').locator('.u-over');
    const box = await plot.boundingBox();
    if (!box) throw new Error('the reward chart has no plot area');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.up();
    const inspector = page.getByTestId('rollout-inspector');
    await inspector.waitFor();
    await expect.poll(() => inspector.getByTestId('rollout-group').count(), { timeout: 15_000 }).toBeGreaterThan(0).catch(async (error: unknown) => {
      await page.screenshot({ path: join(SCREENSHOTS, 'train-rollouts-failed.png') });
      throw error;
    });
    await expect.poll(() => inspector.getByTestId('rollout-response').count()).toBe(4);
    const step = Number(await inspector.getByTestId('rollout-step').inputValue());
    expect(step).toBeGreaterThanOrEqual(1);
    expect(step).toBeLessThanOrEqual(6);
    // Responses best advantage first.
    const advantages = (await inspector.getByTestId('rollout-response').evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-advantage')))));
    expect([...advantages].sort((left, right) => right - left)).toEqual(advantages);
    // → moves to the next step that has rollouts.
    await inspector.getByTestId('rollout-group').first().click();
    await page.keyboard.press('ArrowRight');
    if (step < 6) await expect.poll(async () => Number(await inspector.getByTestId('rollout-step').inputValue())).toBeGreaterThan(step);
    // O-T-A sections shaded; groups with claims that contradict the clip's measured motion flagged.
    expect(await inspector.locator('.ota-answer').count()).toBeGreaterThan(0);
    expect(await inspector.locator('.group-stats .bad').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-rollouts.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('rollout-inspector').count()).toBe(0);

    // R opens the newest step's rollouts; a group's sample opens in Review.
    await page.keyboard.press('r');
    await expect.poll(async () => Number(await page.getByTestId('rollout-step').inputValue())).toBe(6);
    await page.getByTestId('rollout-open-sample').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/review\/\d+/);
    await page.keyboard.press('Alt+3');
    await page.getByTestId(`run-detail-${jobId}`).waitFor();
  });

  it('compares the two runs on the same charts', async () => {
    const boxes = page.getByTestId('train-runs').getByRole('checkbox');
    await boxes.nth(1).check();
    await page.getByTestId('compare-legend').waitFor();
    expect(await page.getByTestId('compare-legend').textContent()).toMatch(/#\d+.*#\d+/);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-compare.png') });
  });

  it('moves between runs, compares and switches the y axis by keys', async () => {
    await page.getByTestId('train-runs').focus();
    const selected = () => page.locator('.train-run[aria-selected="true"]').getAttribute('data-testid');
    const first = await selected();
    await page.keyboard.press('j');
    await expect.poll(selected).not.toBe(first);
    await page.keyboard.press('k');
    await expect.poll(selected).toBe(first);
    await page.locator('body').click({ position: { x: 700, y: 5 } });
    const isLog = () => page.getByTestId('log-scale').isChecked();
    const before = await isLog();
    await page.keyboard.press('l');
    await expect.poll(isLog).toBe(!before);
    await page.keyboard.press('l');
    await expect.poll(isLog).toBe(before);
  });

  it('resumes a finished run as a new job in its lineage, and cancels a running one', async () => {
    const sft = page.locator('.train-run', { hasText: 'LLaMA-Factory SFT' }).first();
    const sftId = Number((await sft.getAttribute('data-testid'))?.replace('train-run-', ''));
    await sft.click();
    await page.getByTestId('run-resume').click();
    await expect.poll(shownRunId).not.toBe(sftId);
    const resumedId = await shownRunId();
    await expect.poll(() => page.getByTestId(`lineage-${resumedId}`).first().textContent()).toContain(`#${sftId} ↻ #${resumedId}`);
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 60_000 }).toMatch(/succeeded|failed/);
    await expect.poll(() => page.getByTestId(`train-run-${sftId}`).textContent()).toContain(`resumed by #${resumedId}`);
    // The resumed job's charts carry the run's whole history.
    await expect.poll(() => points('loss')).toBeGreaterThanOrEqual(24);

    // A long run, stopped.
    await page.getByTestId('train-new').click();
    await fillOverrides([['max_steps', '4000'], ['logging_steps', '1']]);
    await expect.poll(() => page.getByTestId('train-preview-file').textContent()).toMatch(/max_steps: 4000/);
    await expect.poll(() => page.getByTestId('train-start').isEnabled()).toBe(true);
    await page.getByTestId('train-start').click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('run-cancel').click();
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 30_000 }).toBe('cancelled');
    await page.screenshot({ path: join(SCREENSHOTS, 'train-cancelled.png') });
  });

  it('kept the page free of script errors', () => {
    expect(pageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});

describe('The built-in trainer in Chromium', () => {
  const builtinPageErrors: string[] = [];

  beforeAll(async () => {
    const demo = createDemoProject('frustum-train-builtin-e2e-');
    folder = demo.folder;
    // No fakes on PATH: the built-in trainer is this package's own CLI.
    session = await openStudioSession(demo.project, builtinPageErrors, { viewport: { width: 1440, height: 900 } });
    ({ server, page } = session);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('previews built-in SFT: an objective to choose, no GPU or model fields, builtin.yaml and its command', async () => {
    await page.goto(`${server.url}#/train`);
    await page.getByTestId('train-form').waitFor();
    await page.getByLabel('Built-in · SFT or GRPO').check();
    const objectives = page.getByTestId('objective-choice');
    expect(await objectives.getByLabel('SFT', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByTestId('engine-hint').textContent()).toMatch(/runs here on the CPU — no Python or GPU/);
    for (const field of ['GPUs', 'Nodes', 'Ray address', 'Model', 'SFT checkpoint']) expect(await page.getByLabel(field, { exact: true }).count()).toBe(0);
    expect(await page.getByTestId('override-hint').textContent()).toMatch(/builtin\.yaml.*trainer\.total_epochs=20/);
    await expect.poll(() => page.getByTestId('train-preview-file').getAttribute('data-path'), { timeout: 30_000 }).toBe('builtin.yaml');
    await expect.poll(() => page.getByTestId('train-preview-facts').textContent()).toMatch(/^60 samples · snapshot [0-9a-f]{8}.*frustum-reasoner/);
    expect(await page.getByRole('tab').allTextContents()).toEqual(expect.arrayContaining(['builtin.yaml', 'command.sh']));
    await fillOverrides([['trainer.total_epochs', '2']]);
    await expect.poll(() => page.getByTestId('train-preview-file').textContent()).toMatch(/total_epochs: 2\b/);
    await page.getByRole('tab', { name: 'command.sh' }).click();
    await expect.poll(() => page.getByTestId('train-preview-file').textContent()).toMatch(/frustum\.js'? builtin-train \./);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-builtin-form.png') });
  });

  it('trains built-in SFT here and charts its loss', async () => {
    await expect.poll(() => page.getByTestId('train-start').textContent()).toBe('Start SFT on 60 samples');
    await expect.poll(() => page.getByTestId('train-start').isEnabled()).toBe(true);
    await page.getByTestId('train-start').click();
    await page.locator('[data-testid^="run-detail-"]').waitFor();
    const jobId = await shownRunId();
    await expect.poll(() => page.getByTestId(`train-run-${jobId}`).textContent()).toMatch(/Built-in SFT/);
    // The job tracks any clip not yet analysed, writes data/evidence.json, then trains 2 epochs of
    // 3 batches (60 records, the 4 Yes repeated 4 times: 72 an epoch, batches of 32).
    await expect.poll(() => page.getByTestId('run-state').textContent(), { timeout: 90_000 }).toBe('succeeded');
    await expect.poll(() => points('loss')).toBe(6);
    await expect.poll(() => page.getByTestId(`lineage-${jobId}`).first().textContent()).toMatch(/global_step_6/);
    await page.screenshot({ path: join(SCREENSHOTS, 'train-builtin-sft.png') });
  });

  it('previews built-in GRPO from that run\'s checkpoint, its objective chosen by keys', async () => {
    await page.getByTestId('train-new').click();
    await page.getByTestId('train-form').waitFor();
    await page.getByLabel('Built-in · SFT or GRPO').check();
    const objectives = page.getByTestId('objective-choice');
    await objectives.getByLabel('SFT', { exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => objectives.getByLabel('GRPO', { exact: true }).isChecked()).toBe(true);
    const checkpoint = page.getByLabel('SFT checkpoint', { exact: true });
    expect(await checkpoint.getAttribute('placeholder')).toBe('SFT checkpoint to start from (blank: the newest built-in SFT run\'s)');
    expect(await page.getByLabel('Model', { exact: true }).count()).toBe(0);
    // The SFT run's checkpoint is offered, and blank starts from it.
    await expect.poll(() => page.locator('#train-checkpoints option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual([
      expect.stringMatching(/global_step_6[\\/]actor$/),
    ]);
    await expect.poll(() => page.getByTestId('train-preview-notes').textContent(), { timeout: 30_000 }).toMatch(/starts from .*global_step_6[\\/]actor/);
    await expect.poll(() => page.getByTestId('train-start').textContent()).toMatch(/^Start GRPO on \d+ samples$/);
    await checkpoint.fill('/nowhere/at/all');
    await expect.poll(() => page.getByTestId('train-form-error').textContent()).toMatch(/not a built-in model checkpoint/);
  });

  it('kept the page free of script errors', () => {
    expect(builtinPageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});
