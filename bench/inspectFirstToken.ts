// Inspect's live answer in headless Chromium, against `frustum serve` (issue 12 item 5): the
// server writes its first token → that token on screen, p50/p95 over many asks (target p95 ≤
// 50 ms). The path is the real one: the FAKE vLLM server (tests/fakes/openaiServer.ts, paced like
// a model) streams SSE to the studio's backend, which parses it and pushes each delta as an
// 'inference.stream' event over the WebSocket; the page feeds its span tracker and React paints.
// The server's time is when it began writing the first event with content (eventTimes); the
// page's is when that text was in the DOM (?bench=1 hooks, renderer/app/bench.ts streamPaints),
// both wall-clock milliseconds on this machine. Baseline in the same run: the same server
// streamed to a bare fetch() in this process, first content byte read − written: the transport's
// own floor, which no client beats.
// Run: `npm run build && node dist/bench/inspectFirstToken.cjs [--asks N]`.
import { existsSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeOpenAIServer, type FakeRecordedRequest } from '../tests/fakes/openaiServer';
import { CHROMIUM, createDemoProject, openStudioPage, runFrustum, serveStudio } from '../tests/e2e/studioServer';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(name);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const ASKS = argument('--asks', 40);
const TARGET_P95_MS = 50;

interface Summary { n: number; p50: number; p95: number; max: number }
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
function summary(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('bench: no timings were recorded');
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const wallNow = () => performance.timeOrigin + performance.now();

/** An O-T-A answer of ~60 tokens, paced at 20 ms a token: a 7B model on one GPU writes 30–60 tokens a second. */
const ANSWER = '<observation>The background drifts steadily to the left across the frames while near and far objects move at the same rate, with no parallax between them.</observation>\n'
  + '<think>A uniform drift without parallax is a rotation of the camera: it pans right.</think>\n<answer>B</answer>';

/** When the server began writing the first event that carries content (the role chunk has none). */
function firstContentWrite(request: FakeRecordedRequest): number | null {
  for (const [index, event] of request.events.entries()) {
    if (!event.startsWith('data: {')) continue;
    const payload = JSON.parse(event.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> };
    if ((payload.choices?.[0]?.delta?.content ?? '') !== '') return request.eventTimes[index] ?? null;
  }
  return null;
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.error(`bench/inspectFirstToken: needs ${CHROMIUM} (apt-get install chromium)`);
    process.exit(2);
  }
  const server = await startFakeOpenAIServer({ reply: () => ANSWER, chunkDelayMs: 20 });
  const { folder, project } = createDemoProject('frustum-first-token-bench-');
  try {
    // Baseline: the transport alone, first content byte read by a bare streaming fetch − written.
    const baseline: number[] = [];
    for (let index = 0; index < ASKS; index += 1) {
      const response = await fetch(`${server.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'CamReasoner-7B', messages: [{ role: 'user', content: 'x' }], stream: true }),
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      let readAt: number | null = null;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
        if (readAt === null && /"content":"[^"]/.test(text)) readAt = wallNow();
      }
      const written = firstContentWrite(server.requests.at(-1) as FakeRecordedRequest);
      if (readAt !== null && written !== null) baseline.push(readAt - written);
    }

    // A run of this server's settings on one sample, so Inspect's Ask now reuses its settings.
    runFrustum('infer', project, '--endpoint', server.baseUrl, '--model', 'CamReasoner-7B', '--filter', JSON.stringify({ clip: '0000_dolly_in', primitive: ['Move_In'] }), '--max-frames', '2');
    const studio = await serveStudio(project);
    const pageErrors: string[] = [];
    const { browser, page } = await openStudioPage(pageErrors, { width: 1440, height: 900 });
    try {
      const url = new URL(studio.url);
      url.searchParams.set('bench', '1');
      url.hash = '#/inspect';
      await page.goto(url.href);
      await page.getByTestId('inference-run-1').click();
      await page.getByTestId('prediction-row').first().click();
      const asked = () => server.requests.filter((request) => request.path === '/v1/chat/completions');
      const latencies: number[] = [];
      for (let index = 0; index < ASKS; index += 1) {
        const before = asked().length;
        await page.getByTestId('ask-now').click();
        await page.getByTestId('streaming').waitFor({ timeout: 30_000 });
        await page.waitForFunction(() => document.querySelector('[data-testid="streaming"]') === null, null, { timeout: 60_000 });
        const paints = await page.evaluate(() => window.__frustumBench?.streamPaints ?? []);
        const paint = paints.at(-1);
        const request = asked()[before];
        const written = request ? firstContentWrite(request) : null;
        if (paint === undefined || paints.length !== index + 1 || written === null) throw new Error(`bench: ask ${index + 1} recorded no first paint (${paints.length} paints, ${asked().length - before} requests)`);
        latencies.push(paint.paintedAt - written);
        // Frames come from the memo after the first ask; a short rest keeps asks from overlapping the last one's storing.
        await sleep(50);
      }
      if (pageErrors.length > 0) throw new Error(`bench: the page reported errors: ${pageErrors.join('; ')}`);
      const measured = summary(latencies);
      const floor = summary(baseline);
      console.log('\nInspect: the server\'s first token written → on screen (Ask now, headless Chromium, frustum serve)');
      console.log(`  first token on screen    p50 ${ms(measured.p50)}  p95 ${ms(measured.p95)}  max ${ms(measured.max)}  (n ${measured.n}; target p95 ≤ ${TARGET_P95_MS} ms: ${measured.p95 <= TARGET_P95_MS ? 'met' : 'NOT met'})`);
      console.log(`  baseline: bare fetch()   p50 ${ms(floor.p50)}  p95 ${ms(floor.p95)}  (the transport alone, same server, same run)`);
      console.log(`  ratio p95                ${(measured.p95 / Math.max(floor.p95, 0.001)).toFixed(1)}× the bare transport`);
    } finally {
      await browser.close();
      await studio.stop();
    }
  } finally {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
