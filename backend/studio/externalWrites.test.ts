// The studio's watch for other programs' writes (./externalWrites.ts) on two real connections
// to one project: the studio's and another's, as `frustum import` beside it would hold.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../common/api/contract';
import { appendRevision } from '../../db/chains';
import { createProject, openProject } from '../../db/connection';
import { insertJob, markJobRunning, setJobProgress } from '../../db/jobs';
import { setSampleStatus } from '../../db/library';
import { syntheticSft } from '../../tests/fixtures/syntheticDatasets';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { EXTERNAL_WRITES_POLL_MS, watchExternalWrites } from './externalWrites';
import { createLintRefresher } from './lintRefresher';

afterEach(() => {
  vi.useRealTimers();
});

function setUp() {
  const folder = tempDir();
  const path = join(folder, 'p.frustum');
  const dataset = join(folder, 'sft.json');
  writeFileSync(dataset, JSON.stringify(syntheticSft({ count: 4, seed: 5 })));
  const studioDb = track(createProject(path));
  importFiles(studioDb, [dataset]);
  const other = track(openProject(path));
  const lint = createLintRefresher(studioDb, { onRelinted: () => undefined, log: () => undefined });
  const markStale = vi.spyOn(lint, 'markStale');
  const events: Array<{ event: EventName; payload: unknown }> = [];
  vi.useFakeTimers();
  const watch = watchExternalWrites({ db: studioDb, lint, emit: (event, payload) => events.push({ event, payload }), log: () => undefined });
  const poll = () => vi.advanceTimersByTime(EXTERNAL_WRITES_POLL_MS);
  const close = () => {
    watch.stop();
    other.close();
    studioDb.close();
  };
  return { studioDb, other, watch, events, markStale, poll, close };
}

describe('external writes', () => {
  it("fires once on another connection's commits, and not on the studio's own writes", () => {
    const { studioDb, other, watch, events, markStale, poll, close } = setUp();
    poll();
    expect(events).toEqual([]);

    appendRevision(studioDb, 1, '<observation>own</observation><think>t</think><answer>A</answer>', { kind: 'person', name: 'me' });
    setSampleStatus(studioDb, 2, 'accepted');
    poll();
    expect(events).toEqual([]);
    expect(markStale).not.toHaveBeenCalled();

    // Two commits between polls: one refetch.
    appendRevision(other, 1, '<observation>theirs</observation><think>t</think><answer>A</answer>', { kind: 'person', name: 'cli' });
    setSampleStatus(other, 3, 'rejected');
    poll();
    expect(events).toEqual([{ event: 'samples.changed', payload: { ids: [], reason: 'external' } }]);
    expect(markStale).toHaveBeenCalledTimes(1);
    poll();
    expect(events).toHaveLength(1);

    watch.stop();
    setSampleStatus(other, 4, 'rejected');
    poll();
    expect(events).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    close();
  });

  it("stays quiet when another connection only moved a job along (its progress commits)", () => {
    const { other, events, markStale, poll, close } = setUp();
    const job = insertJob(other, { kind: 'analyze', title: 'analyze the project', params: '{}', logPathOf: () => '/tmp/x.log' });
    markJobRunning(other, job.id, process.pid);
    setJobProgress(other, job.id, 1, 4, 'analyzing');
    poll();
    expect(events).toEqual([]);
    expect(markStale).not.toHaveBeenCalled();
    // What the job then writes to samples is news.
    setSampleStatus(other, 1, 'accepted');
    poll();
    expect(events).toEqual([{ event: 'samples.changed', payload: { ids: [], reason: 'external' } }]);
    close();
  });

  it('takes another connection’s commit as told when the studio sent its own refetch (a finished job)', () => {
    const { other, watch, events, poll, close } = setUp();
    setSampleStatus(other, 1, 'accepted');
    watch.resync();
    poll();
    expect(events).toEqual([]);
    close();
  });
});
