// The Inspect view end to end in real Chromium against `frustum serve` on a demo project, with
// the FAKE OpenAI-compatible server of tests/fakes (vLLM's wire format, scripted answers, paced
// tokens) as the model: start a run from the form (frames sent as images at 1 fps) and watch its
// rows arrive; open a sample and read its coloured O-T-A sections, the frames the model
// received, a claim linked to them, and the hallucination the analyzer flags (the script says
// "static" about clips that dolly or pedestal); a second run, cancelled and resumed, against
// the first as a word diff; "Make this the chain" writing a revision; Ask now streaming token
// by token, then stopped; and a run of a built-in checkpoint, which is sent no frames. Screenshots land in test-artifacts/screenshots/. No timing
// assertions here.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../fakes/openaiServer';
import { createDemoProject, openStudioSession, runFrustum, SCREENSHOTS, type ServedStudio, type StudioSession } from './studioServer';

/** What the first run's model says about every sample: a still camera, with frame references. */
const STILL = '<observation>The first frame shows a corridor. In frames 1–2 the camera is static: nothing in the picture moves. Later, the view stays completely still.</observation>\n'
  + '<think>Nothing moves between the frames, so the camera does not move at all.</think>\n<answer>A</answer>';
/** The second model: forward motion, and a longer observation to watch stream in. */
const FORWARD = '<observation>The first frame shows a corridor. In frames 1–2 the camera moves forward: the whole picture expands outward from the centre, near walls faster than the far door. '
  + 'Later, the view keeps expanding as the camera travels down the corridor.</observation>\n'
  + '<think>Expansion with parallax between near and far points means the camera dollies in.</think>\n<answer>B</answer>';

let folder: string;
let project: string;
let session: StudioSession | undefined;
let server: ServedStudio;
let page: Page;
let still: FakeOpenAIServer;
let forward: FakeOpenAIServer;
const pageErrors: string[] = [];

/** The Library filter the runs ask about, in the route (the form says it uses the Library's current filter). */
const CLIP_FILTER = { clip: '0000_dolly_in' };
const FEW_FILTER = { clip: '0000_dolly_in', primitive: ['Move_In', 'Move_Out', 'Zoom_In'] };

async function openInspect(filter: object): Promise<void> {
  await page.goto(`${server.url}#/inspect?filter=${encodeURIComponent(JSON.stringify(filter))}`);
  await page.getByTestId('inspect').waitFor();
}

async function fillForm(endpoint: string, concurrency: string): Promise<void> {
  await page.getByTestId('inspect-form').waitFor();
  await page.getByLabel('Endpoint').fill(endpoint);
  await page.getByLabel('Model').fill('CamReasoner-7B');
  await page.getByLabel('Concurrency').fill(concurrency);
}

/** The id of the run shown (the selected one in the runs list). */
async function selectedRunId(): Promise<number> {
  const testId = await page.locator('.inference-runs [aria-selected="true"]').getAttribute('data-testid');
  return Number(testId?.replace('inference-run-', ''));
}

const pendingRows = () => page.locator('[data-testid="prediction-row"][data-pending="true"]').count();
const answeredRows = () => page.locator('[data-testid="prediction-row"][data-pending="false"]').count();
const outputLength = async () => Number(await page.getByTestId('inspect-output').getAttribute('data-length') ?? '0');

beforeAll(async () => {
  ({ folder, project } = createDemoProject('frustum-inspect-e2e-'));
  // Paced so that rows arrive one after another while the page looks, and the live answer
  // arrives in visibly many pieces.
  still = await startFakeOpenAIServer({ reply: () => STILL, chunkDelayMs: 8 });
  forward = await startFakeOpenAIServer({ reply: () => FORWARD, chunkDelayMs: 30 });
  session = await openStudioSession(project, pageErrors, { viewport: { width: 1440, height: 900 } });
  ({ server, page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await still?.close();
  await forward?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('Inspect in Chromium', () => {
  it('starts a run from the form on the Library\'s filter, and its rows arrive while it runs', async () => {
    await openInspect(CLIP_FILTER);
    // A project without inference runs opens the form.
    await fillForm(still.baseUrl, '2');
    await expect.poll(() => page.getByTestId('inspect-form-samples').textContent()).toMatch(/clip ~0000_dolly_in · 15 samples/);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspect-form.png') });
    await page.getByTestId('inspect-start').click();
    await page.getByTestId('inspect-rows').waitFor();
    const runId = await selectedRunId();
    await expect.poll(() => page.getByTestId('inspect-rows-total').textContent()).toBe('15');
    // Some answered while others still wait: the rows fill in without a reload.
    await expect.poll(async () => (await answeredRows()) > 0 && (await pendingRows()) > 0, { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspect-running.png') });
    await expect.poll(pendingRows, { timeout: 60_000 }).toBe(0);
    await expect.poll(() => page.getByTestId(`inference-run-${runId}`).getByTestId('inference-run-state').textContent(), { timeout: 30_000 }).toBe('succeeded');
    expect(await page.getByTestId(`inference-run-${runId}`).getByTestId('inference-run-done').textContent()).toBe('15 / 15 answered');
    // Every request carried the frames as images, CamReasoner's evaluation's way.
    const chats = still.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(chats).toHaveLength(15);
    const parts = (chats[0]?.body?.messages as Array<{ content: Array<{ type: string }> }>)[0]?.content ?? [];
    expect(parts.filter((part) => part.type === 'image_url').length).toBeGreaterThan(0);
  });

  it('shows a sample: coloured sections, the frames received, claims linked to them, and the analyzer\'s hallucination flag', async () => {
    await page.getByTestId('prediction-row').nth(1).click();
    const inspector = page.getByTestId('sample-inspector');
    await inspector.waitFor();
    const output = page.getByTestId('inspect-output');
    await expect.poll(() => output.locator('.ota-observation').count()).toBeGreaterThan(0);
    expect(await output.locator('.ota-think').count()).toBeGreaterThan(0);
    expect(await output.locator('.ota-answer').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('inspect-format').textContent()).toBe('1');
    // The frames the model received, each from the clip's exact-frame route.
    await expect.poll(() => page.getByTestId('sent-frame').count()).toBeGreaterThan(0);
    const frames = await page.getByTestId('sent-frame').count();
    // The clip's frames are decoded on first use: seconds on a busy machine.
    await expect.poll(() => page.getByTestId('sent-frame').locator('img').first().evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0), { timeout: 30_000 }).toBe(true);
    // "static" about a clip whose camera dollies in: flagged, in the list and in the text.
    await expect.poll(() => page.getByTestId('hallucination').count()).toBeGreaterThan(0);
    expect(await output.getByTestId('hallucination-mark').count()).toBeGreaterThan(0);
    // "In frames 1–2 …" speaks of the first two frames sent, exactly.
    await output.locator('.claim', { hasText: 'In frames 1' }).first().click();
    await expect.poll(() => page.getByTestId('claim-rule').textContent()).toMatch(/^exact/);
    await expect.poll(() => page.locator('[data-testid="sent-frame"][data-lit="true"]').count()).toBe(Math.min(2, frames));
    await page.getByTestId('claim-span').waitFor();
    // "Later, …" is placed by rule, not by a reference.
    await output.locator('.claim', { hasText: 'Later' }).first().click();
    await expect.poll(() => page.getByTestId('claim-rule').textContent()).toMatch(/^inferred: last third/);
    // The pointer over a frame lights the claims about it.
    await page.getByTestId('sent-frame').first().hover();
    await expect.poll(() => output.locator('.claim.lit').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspect-sample.png') });
  });

  it('lists only the wrong answers', async () => {
    await page.getByTestId('only-wrong').check();
    await expect.poll(() => page.getByTestId('inspect-rows-total').textContent()).toMatch(/wrong or failed$/);
    const wrong = Number((await page.getByTestId('inspect-rows-total').textContent())?.split(' ')[0]);
    expect(wrong).toBeGreaterThan(0);
    expect(wrong).toBeLessThan(15);
    await expect.poll(() => page.locator('[data-testid="prediction-row"] .verdict.ok').count()).toBe(0);
    await page.getByTestId('only-wrong').uncheck();
    await expect.poll(() => page.getByTestId('inspect-rows-total').textContent()).toBe('15');
  });

  it('runs a second model, cancelled and resumed, and diffs its answer against the first run\'s', async () => {
    const first = await selectedRunId();
    await openInspect(FEW_FILTER);
    await page.getByTestId('inspect-new').click();
    await fillForm(forward.baseUrl, '1');
    await expect.poll(() => page.getByTestId('inspect-form-samples').textContent()).toMatch(/3 samples/);
    await page.getByTestId('inspect-start').click();
    await page.getByTestId('inspect-rows').waitFor();
    const second = await selectedRunId();
    expect(second).not.toBe(first);
    const row = page.getByTestId(`inference-run-${second}`);
    // Stopped after its first answer: the answers so far stay, Resume asks the rest.
    await expect.poll(answeredRows, { timeout: 30_000 }).toBeGreaterThan(0);
    await row.getByTestId(`inference-cancel-${second}`).click();
    await expect.poll(() => row.getByTestId('inference-run-state').textContent(), { timeout: 30_000 }).toBe('cancelled');
    await row.getByTestId(`inference-resume-${second}`).click();
    await expect.poll(() => row.getByTestId('inference-run-done').textContent(), { timeout: 60_000 }).toBe('3 / 3 answered');
    await expect.poll(() => row.getByTestId('inference-run-state').textContent(), { timeout: 30_000 }).toBe('succeeded');

    await page.getByTestId('prediction-row').first().click();
    await expect.poll(() => page.getByTestId('inspect-output').textContent()).toMatch(/camera moves forward/);
    await page.getByTestId('compare-run').selectOption(String(first));
    const diff = page.getByTestId('run-diff');
    await diff.waitFor();
    expect((await diff.locator('pre ins').allTextContents()).join(' ')).toMatch(/moves forward/);
    expect((await diff.locator('pre del').allTextContents()).join(' ')).toMatch(/static/);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspect-diff.png') });
  });

  it('makes the answer the sample\'s chain, as a new revision', async () => {
    const reference = page.getByTestId('inspect-reference');
    const before = Number(await reference.getAttribute('data-revision'));
    await page.getByTestId('make-chain').click();
    await expect.poll(async () => Number(await reference.getAttribute('data-revision'))).toBeGreaterThan(before);
    await expect.poll(() => page.getByTestId('inspect-reference-text').textContent()).toMatch(/camera moves forward/);
    expect(await reference.textContent()).toMatch(/model CamReasoner-7B \(run \d+\)/);
    await expect.poll(() => page.getByTestId('make-chain').textContent()).toBe('This is the chain');
  });

  it('asks now and streams the answer piece by piece, then stops a second ask', async () => {
    const chats = () => forward.requests.filter((request) => request.path === '/v1/chat/completions');
    const asksBefore = chats().length;
    await page.getByTestId('ask-now').click();
    await page.getByTestId('streaming').waitFor();
    // Lengths seen while it streams: many, growing, before the end.
    const seen: number[] = [];
    await expect.poll(async () => {
      const length = await outputLength();
      if (await page.getByTestId('streaming').count() > 0 && length > 0 && !seen.includes(length)) seen.push(length);
      return seen.length;
    }, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((left, right) => left - right)).toEqual(seen);
    expect(seen.at(-1)).toBeLessThan(FORWARD.length);
    await expect.poll(() => page.getByTestId('streaming').count(), { timeout: 30_000 }).toBe(0);
    expect(await outputLength()).toBe(FORWARD.length);
    await expect.poll(() => page.getByTestId('sent-frame').count()).toBeGreaterThan(0);
    expect(chats()).toHaveLength(asksBefore + 1);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspect-asked.png') });

    await page.getByTestId('ask-now').click();
    await page.getByTestId('streaming').waitFor();
    // The frames are extracted first (ffmpeg), then the tokens come: seconds on a busy machine.
    await expect.poll(outputLength, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByTestId('ask-stop').click();
    await expect.poll(() => page.getByTestId('streaming').count()).toBe(0);
    await expect.poll(() => page.locator('.inspect-output h4').textContent()).toMatch(/stopped/);
    await page.getByTestId('ask-now').waitFor();
    // The server saw the client go.
    const last = chats().at(-1);
    await last?.settled;
    expect(last?.isClosedEarly).toBe(true);
  });

  it('answers with a built-in checkpoint, which is sent no frames: the clip\'s timeline stays for its claims', async () => {
    // A built-in SFT run of two epochs (seconds on the demo's 60 chains): a checkpoint to ask.
    runFrustum('train', project, '--engine', 'builtin', '--objective', 'sft', '--set', 'trainer.total_epochs=2');
    const chatsBefore = still.requests.length + forward.requests.length;
    await page.getByTestId('inspect-new').click();
    await page.getByTestId('inspect-form').waitFor();
    await page.getByLabel('Built-in checkpoint').check();
    const checkpoint = page.getByLabel('Checkpoint', { exact: true });
    await expect.poll(() => checkpoint.locator('option').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^#\d+ SFT · global_step_\d+$/)]));
    await checkpoint.selectOption({ label: (await checkpoint.locator('option').allTextContents()).find((label) => /SFT · global_step/.test(label)) ?? '' });
    await page.getByTestId('inspect-start').click();
    await page.getByTestId('inspect-rows').waitFor();
    const runId = await selectedRunId();
    const row = page.getByTestId(`inference-run-${runId}`);
    await expect.poll(() => row.textContent()).toMatch(/Built-in.*global_step_\d+/);
    await expect.poll(() => row.getByTestId('inference-run-state').textContent(), { timeout: 60_000 }).toBe('succeeded');
    expect(await row.getByTestId('inference-run-done').textContent()).toBe('3 / 3 answered');
    await page.getByTestId('prediction-row').first().click();
    await expect.poll(() => page.getByTestId('sent-frames').textContent()).toMatch(/reads the clip's motion evidence, not frames/);
    expect(await page.getByTestId('sent-frame').count()).toBe(0);
    expect(await page.getByTestId('claim-timeline').count()).toBe(1);
    await expect.poll(outputLength).toBeGreaterThan(0);
    expect(still.requests.length + forward.requests.length).toBe(chatsBefore);
  });

  it('left no errors in the page', () => {
    expect(pageErrors.filter((message) => !message.includes('favicon'))).toEqual([]);
  });
});
