// The Evaluate view and Stats' shortcut audit end to end in real Chromium against `frustum serve`
// on a demo project. Two runs of its 60 CameraBench binary questions: the built-in reasoner (the
// cheapest real model: a few SFT steps, then `frustum infer --builtin`, answers only) and the
// FAKE OpenAI-compatible server of tests/fakes (always "No", with log-probs, so that its AP is
// from P(Yes)). Evaluate shows the newest in the Table-1 layout with its published rows
// labelled; the two side by side, the AP rows refused as not comparable (P(Yes) against 1/0)
// and the accuracy rows with deltas; a cell opens Inspect on its items; the lineage leads to
// Train; a table is copied as Markdown. In Stats, the audit runs when asked and "show these
// samples" opens them in the Library. Screenshots land in test-artifacts/screenshots/. No timing
// assertions here.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply } from '../fakes/openaiServer';
import { createDemoProject, openStudioSession, runFrustum, SCREENSHOTS, type ServedStudio, type StudioSession } from './studioServer';

const BIN = join(__dirname, '..', '..', 'bin', 'frustum.js');

let folder: string;
let project: string;
let session: StudioSession | undefined;
let server: ServedStudio;
let page: Page;
let fake: FakeOpenAIServer;
const pageErrors: string[] = [];
/** The built-in run (answers only) and the fake server's run (P(Yes) from log-probs); its training job. */
let builtinRun: number;
let fakeRun: number;
let trainJob: number;

/** "No" (A), with P(Yes) at the answer token varying from question to question. */
function sayNo(_body: unknown, index: number): FakeReply {
  const yes = 0.1 + (index % 7) / 10;
  return {
    tokens: [
      { token: '<observation>The view barely changes.</observation>' },
      { token: '<think>No clear motion.</think>' },
      { token: '<answer>' },
      { token: 'A', logprob: Math.log(1 - yes), topLogprobs: [{ token: 'A', logprob: Math.log(1 - yes) }, { token: 'B', logprob: Math.log(yes) }] },
      { token: '</answer>' },
    ],
  };
}

const table1 = () => page.locator('[data-testid="eval-table"][data-table$="/table1"]');
const runRows = (runId: number) => table1().locator(`[data-testid="eval-row"][data-kind="run"][data-run="${runId}"]`);
/** A run's row of one metric ("AP", "ROC AUC", "accuracy"). */
const runRow = (runId: number, metric: string) => runRows(runId).filter({ has: page.locator('.eval-row-name', { hasText: new RegExp(`^${metric}$`) }) });

beforeAll(async () => {
  ({ folder, project } = createDemoProject('frustum-evaluate-e2e-'));
  runFrustum('train', project, '--engine', 'builtin', '--objective', 'sft', '--set', 'trainer.max_steps=4', '--set', 'model.context=16',
    '--set', 'model.embedding=8', '--set', 'model.hidden=16', '--set', 'data.max_response_length=60');
  builtinRun = Number(/run (\d+):/.exec(runFrustum('infer', project, '--builtin'))?.[1]);
  fake = await startFakeOpenAIServer({ reply: sayNo });
  // Asynchronously: the fake answers from this process, which must not block while the command runs.
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'infer', project, '--endpoint', fake.baseUrl, '--model', 'CamReasoner-7B', '--concurrency', '4'], { encoding: 'utf8' });
  fakeRun = Number(/run (\d+):/.exec(stdout)?.[1]);
  const { jobs } = JSON.parse(runFrustum('jobs', project, '--json')) as { jobs: Array<{ id: number; kind: string }> };
  trainJob = jobs.find((job) => job.kind === 'train')?.id ?? NaN;
  session = await openStudioSession(project, pageErrors, { viewport: { width: 1440, height: 900 } });
  ({ server, page } = session);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
}, 240_000);

afterAll(async () => {
  await session?.close();
  await fake?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('Evaluate and the shortcut audit in Chromium', () => {
  it('shows the newest run in the Table-1 layout, every row\'s basis said and the published rows labelled', async () => {
    expect(Number.isSafeInteger(builtinRun) && Number.isSafeInteger(fakeRun) && Number.isSafeInteger(trainJob)).toBe(true);
    await page.goto(server.url);
    await page.getByTestId('library-total').waitFor();
    await page.keyboard.press('Alt+5');
    await page.getByTestId('evaluate').waitFor();
    // The newest run by default.
    await expect.poll(() => page.getByTestId(`evaluate-compare-${fakeRun}`).isChecked()).toBe(true);
    expect(await page.getByTestId(`evaluate-compare-${builtinRun}`).isChecked()).toBe(false);
    await table1().waitFor({ timeout: 30_000 });
    // Its three rows: AP and ROC AUC from P(Yes), and eval_bench's accuracy.
    await expect.poll(() => runRows(fakeRun).count()).toBe(3);
    expect(await runRow(fakeRun, 'AP').getByTestId('eval-basis').textContent()).toMatch(/^AP .*P\(Yes\)/);
    expect(await table1().locator('thead th').allTextContents()).toEqual(expect.arrayContaining(['Move In', 'Pan Left', 'Static', 'Avg']));
    // Published rows, marked so, each with what it is; CamReasoner's own is accuracy, read against the run's accuracy row.
    const published = table1().locator('[data-testid="eval-row"][data-kind="published"]');
    expect(await published.count()).toBeGreaterThan(3);
    const camReasoner = published.filter({ hasText: 'CamReasoner-7B' });
    expect(await camReasoner.locator('.kind-tag').textContent()).toBe('published');
    expect(await camReasoner.locator('.metric-tag').textContent()).toBe('accuracy');
    expect(await camReasoner.getByTestId('eval-compare').textContent()).toBe(`read against #${fakeRun} accuracy`);
    expect(await published.filter({ hasText: 'GPT-4o (paper' }).locator('.metric-tag').textContent()).toBe('AP');
    expect(await table1().locator('[data-testid="eval-row"][data-kind="baseline"]').count()).toBe(2);
    await page.getByTestId('evaluate-legend').waitFor();
    await table1().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-table1.png') });
  });

  it('draws the confusable pairs as heat tables of counts, and copies a table as Markdown', async () => {
    const matrix = page.getByTestId('eval-matrix').first();
    await matrix.waitFor();
    expect(await matrix.getByTestId('heat-cell').count()).toBeGreaterThan(0);
    const counts = (await page.getByTestId('heat-cell').allTextContents()).map(Number);
    expect(counts.every(Number.isInteger)).toBe(true);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    await matrix.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-matrices.png') });

    await table1().getByTestId('copy-markdown').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/\| Kind \| Basis \|/);
    const markdown = await page.evaluate(() => navigator.clipboard.readText());
    expect(markdown).toMatch(/\| CamReasoner-7B \(paper, Table 1\) \|.*\| published \| accuracy/i);
    expect(markdown).toContain(`| #${fakeRun} Run ${fakeRun} (CamReasoner-7B): AP |`);
  });

  it('sets two runs side by side: one row each, deltas where they measure alike, ≠ where they do not', async () => {
    await page.getByTestId(`evaluate-compare-${builtinRun}`).check();
    await expect.poll(() => runRows(builtinRun).count(), { timeout: 30_000 }).toBe(3);
    expect(await runRows(fakeRun).count()).toBe(3);
    // Each of the first run's rows, the other's read against it beneath; those read against none last.
    const order = await table1().locator('[data-testid="eval-row"][data-kind="run"]').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-run')} ${row.querySelector('.eval-row-name')?.textContent}`));
    expect(order).toEqual([
      `${fakeRun} AP`, `${fakeRun} ROC AUC`, `${fakeRun} accuracy`, `${builtinRun} accuracy`, `${builtinRun} AP`, `${builtinRun} ROC AUC`,
    ]);
    // AP from answers (1/0) is not AP from P(Yes): flagged, no deltas.
    const builtinAp = runRow(builtinRun, 'AP');
    expect(await builtinAp.getByTestId('basis-flag').textContent()).toMatch(/score 1\/0 vs P\(Yes\)/);
    expect(await builtinAp.getByTestId('eval-delta').count()).toBe(0);
    // Accuracy is accuracy: a delta per primitive and the average.
    const builtinAccuracy = runRow(builtinRun, 'accuracy');
    expect(await builtinAccuracy.getAttribute('data-comparable')).toBe('true');
    expect(await builtinAccuracy.getByTestId('eval-delta').count()).toBe(16);
    // Nothing shared is repeated: the baselines once.
    expect(await table1().locator('[data-testid="eval-row"][data-kind="baseline"]').count()).toBe(2);
    // Both lineages: the built-in run's from its training job and checkpoint, the other's from its endpoint.
    const chains = page.getByTestId('eval-lineage').locator('.lineage-chain');
    await expect.poll(() => chains.count()).toBe(2);
    const builtinChain = page.locator(`.lineage-chain[data-run="${builtinRun}"]`);
    expect(await builtinChain.getByTestId('lineage-snapshot').textContent()).toMatch(/snapshot [0-9a-f]{8}/);
    expect(await builtinChain.getByTestId('lineage-train').textContent()).toContain(`Training job #${trainJob}`);
    expect(await builtinChain.getByTestId('lineage-checkpoint').textContent()).toMatch(/global_step_\d+/);
    expect(await page.locator(`.lineage-chain[data-run="${fakeRun}"]`).getByTestId('lineage-run').textContent()).toContain(`endpoint ${fake.baseUrl}`);
    await page.getByTestId('eval-lineage').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-side-by-side.png') });
  });

  it('follows the lineage to the training job in Train, and Back returns to the comparison', async () => {
    await page.locator(`.lineage-chain[data-run="${builtinRun}"]`).getByTestId('lineage-link-train').click();
    await expect.poll(() => page.getByTestId(`train-run-${trainJob}`).getAttribute('aria-selected')).toBe('true');
    await page.goBack();
    await page.getByTestId('evaluate').waitFor();
    await expect.poll(() => runRows(builtinRun).count(), { timeout: 30_000 }).toBe(3);
  });

  it('opens a run\'s cell in Inspect on its items, with a chip that drops the filter', async () => {
    const cell = runRow(fakeRun, 'AP').locator('[data-testid="eval-cell"][data-split="Move_In"]');
    await cell.click();
    await page.getByTestId('inspect').waitFor();
    expect(page.url()).toContain('#/inspect');
    await expect.poll(() => page.getByTestId('inspect-focus-chip').textContent()).toMatch(/^Move_In · camerabench-binary/);
    await expect.poll(() => page.getByTestId('inspect-rows-total').textContent()).toBe('4');
    expect(await page.locator(`.inference-runs [aria-selected="true"]`).getAttribute('data-testid')).toBe(`inference-run-${fakeRun}`);
    // Every row listed is a Move_In question ("…move forward…, not zooming in").
    const questions = await page.locator('[data-testid="prediction-row"] .prediction-question').allTextContents();
    expect(questions).toHaveLength(4);
    expect(new Set(questions).size).toBe(1);
    await page.getByTestId('sample-inspector').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-inspect.png') });
    await page.getByTestId('inspect-focus-remove').click();
    await expect.poll(() => page.getByTestId('inspect-rows-total').textContent()).toBe('60');
    expect(await page.getByTestId('inspect-focus-chip').count()).toBe(0);
  });

  it('runs the shortcut audit in Stats when asked, and shows the samples a shortcut explains in the Library', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('stats').waitFor();
    const audit = page.getByTestId('audit');
    // Not run on opening Stats: it reads every sample.
    expect(await audit.getByTestId('audit-report').count()).toBe(0);
    await page.getByTestId('audit-run').click();
    const project = audit.locator('[data-testid="audit-group"][data-group="project"]');
    await project.waitFor({ timeout: 30_000 });
    // The demo answers "No" (A) to 56 of its 60 questions: the majority letter is the shortcut.
    expect(await project.getByTestId('audit-verdict').textContent()).toMatch(/unbalanced/);
    expect(await project.getByTestId('audit-holdout').textContent()).toMatch(/^Held out: .*chance 50\.0 %/);
    const majority = project.locator('[data-testid="audit-shortcut"][data-shortcut="majority-letter"]');
    expect(await majority.getAttribute('data-level')).toBe('imbalance');
    expect(await project.getByTestId('audit-shortcut').count()).toBeGreaterThan(5);
    await page.getByTestId('audit-run').textContent().then((label) => expect(label).toBe('Run again'));
    await audit.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'evaluate-audit.png') });
    const show = majority.getByTestId('audit-show');
    const shown = Number(/show these (\d+) samples/.exec((await show.textContent()) ?? '')?.[1]);
    expect(shown).toBeGreaterThan(0);
    await show.click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(`${shown} samples`);
    // Back in Stats, the audit is still there: it is not run again on every visit.
    await page.keyboard.press('Alt+6');
    await page.getByTestId('audit-report').waitFor();
  });

  it('lists Evaluate in the shortcuts help between Inspect and Stats', async () => {
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Library / Review / Train / Inspect / Evaluate / Stats');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Library', 'Review', 'Train', 'Inspect', 'Evaluate', 'Stats']);
  });

  it('left no errors in the page', () => {
    expect(pageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});
