// evaluation.* and inference.rows' benchmark filter through the in-process client, on a real
// project (CameraBench binary questions and a VQA pair file, one run over both): every response
// checked against the contract by the dispatcher, an Evaluate cell's link opening exactly the
// items behind it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiClient, ApiError } from '../../../common/api/contract';
import { primitiveInfo, type Primitive } from '../../../common/camerabench/primitives';
import { createProject } from '../../../db/connection';
import { addRun, itemSampleIds, ota, writeJsonl } from '../../../tests/support/evalRuns';
import { tempDir, track } from '../../../tests/support/tempDir';
import { importFiles } from '../../formats/importFiles';
import { createInProcessClient } from '../inProcessClient';
import { openStudio, type Studio } from '../studio';

const mediaUrls = { video: (id: number) => `test://clip/${id}`, frameTemplate: (id: number) => `test://clip/${id}/{index}`, filmstrip: (id: number) => `test://clip/${id}/strip` };

let studio: Studio | null = null;
afterEach(async () => {
  await studio?.close();
  studio = null;
});

/** 6 pan-left and 4 static binary questions, one VQA pair (4 items); a run answering all of them but one. */
function buildProject(options: { isLegacy?: boolean } = {}): { path: string; folder: string; runId: number } {
  const folder = tempDir();
  const path = join(folder, 'p.frustum');
  const db = track(createProject(path));
  const question = (primitive: Primitive, clip: string, label: 'Yes' | 'No') => {
    const info = primitiveInfo(primitive);
    return { image: `${clip}.mp4`, question: info.question, label, task: info.task, label_name: info.labelName };
  };
  const binary = [
    ...['a', 'b', 'c', 'd', 'e', 'f'].map((clip, index) => question('Pan_Left', clip, index % 2 === 0 ? 'Yes' : 'No')),
    ...['a', 'b', 'c', 'd'].map((clip) => question('Static', clip, 'No')),
  ];
  mkdirSync(join(folder, 'motion_direction'));
  const pair = {
    pos_video: 'left.mp4', neg_video: 'right.mp4', pos_text: 'Does the camera pan to the left?', neg_text: 'Does the camera pan to the right?',
    pos_question: 'Does the camera pan to the left?', neg_question: 'Does the camera pan to the right?',
  };
  importFiles(db, [writeJsonl(folder, 'binary.jsonl', binary), writeJsonl(join(folder, 'motion_direction'), 'pan_left_vs_pan_right.jsonl', [pair])]);
  const binaryIds = itemSampleIds(db, 'camerabench-binary');
  const vqaIds = itemSampleIds(db, 'camerabench-vqa');
  const runId = addRun(db, 'model-x', [
    ...binaryIds.map((sampleId, index) => (index === 0 ? { sampleId, isPending: true } : { sampleId, output: ota('A') })),
    ...vqaIds.map((sampleId) => ({ sampleId, output: ota('A'), score: 0.6 })),
  ]);
  if (options.isLegacy === true) db.prepare("DELETE FROM benchmark_items WHERE benchmark = 'camerabench-binary'").run();
  db.close();
  return { path, folder, runId };
}

function open(path: string, folder: string): ApiClient {
  studio = openStudio({ projectPath: path, host: 'in-process', mediaUrls, author: 'tester', cacheRoot: join(folder, 'cache'), log: () => undefined });
  return createInProcessClient(studio);
}

describe('evaluation in the studio', () => {
  it('lists the benchmarks, scores a run as each (checked against the contract), and opens a cell\'s items in Inspect', async () => {
    const { path, folder, runId } = buildProject();
    const client = open(path, folder);
    expect(await client.call('evaluation.benchmarks', {})).toEqual({
      benchmarks: [
        { benchmark: 'camerabench-binary', items: 10, samples: 10, splits: [{ split: 'Pan_Left', items: 6 }, { split: 'Static', items: 4 }] },
        { benchmark: 'camerabench-vqa', items: 4, samples: 4, splits: [{ split: 'motion_direction', items: 4 }] },
      ],
    });

    const { lineage, reports } = await client.call('evaluation.report', { runId });
    expect(lineage).toMatchObject({ runId, kind: 'inference', model: 'model-x', source: null });
    expect(reports.map((report) => [report.benchmark, report.items, report.answered, report.scoreSource])).toEqual([
      ['camerabench-binary', 10, 9, 'answers'],
      ['camerabench-vqa', 4, 4, 'probabilities'],
    ]);
    // Every run cell says where its items are.
    for (const report of reports) {
      for (const table of report.tables) {
        for (const row of table.rows.filter((candidate) => candidate.kind !== 'published')) {
          for (const cell of row.cells) if (cell !== null) expect(cell.link, `${table.id} ${row.label}`).toMatchObject({ runId, benchmark: report.benchmark });
        }
      }
    }
    const table1 = reports[0]?.tables.find((table) => table.id === 'camerabench-binary/table1');
    const panLeft = table1?.columns.findIndex((column) => column.key === 'Pan_Left') ?? -1;
    const link = table1?.rows[0]?.cells[panLeft]?.link;
    expect(link).toEqual({ runId, benchmark: 'camerabench-binary', split: 'Pan_Left' });

    // The cell's link as Inspect's filter: the run's items of that split, pending ones included.
    const cell = await client.call('inference.rows', { runId, offset: 0, limit: 100, benchmark: 'camerabench-binary', split: 'Pan_Left' });
    expect(cell.total).toBe(6);
    expect(cell.rows.filter((row) => row.isPending)).toHaveLength(1);
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100, benchmark: 'camerabench-binary' })).total).toBe(10);
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100, benchmark: 'camerabench-vqa', split: 'motion_direction' })).total).toBe(4);
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100, benchmark: 'shotbench' })).total).toBe(0);
    // Without the filter, as before: every sample of the run.
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100 })).total).toBe(14);
    // Only wrong ones within the cell: Pan_Left's Yes questions answered No (a, c, e; a pending).
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100, onlyWrong: true, benchmark: 'camerabench-binary', split: 'Pan_Left' })).total).toBe(2);

    // A benchmark the run holds nothing of: a report that says so (and still keeps to the contract).
    for (const benchmark of ['camerabench-vqa-runpy', 'camerabench-caption', 'shotbench', 'refineshot'] as const) {
      const { reports: none } = await client.call('evaluation.report', { runId, benchmark });
      expect(none).toHaveLength(1);
      expect(none[0]).toMatchObject({ benchmark, items: 0, answered: 0 });
      expect(none[0]?.notes[0]).toMatch(new RegExp(`holds no item of ${benchmark}`));
    }
    await expect(client.call('evaluation.report', { runId: 99 })).rejects.toMatchObject({ code: 'not-found' } satisfies Partial<ApiError>);
  });

  it("an older project's binary questions (no benchmark items) are scored and opened the same way", async () => {
    const { path, folder, runId } = buildProject({ isLegacy: true });
    const client = open(path, folder);
    const { benchmarks } = await client.call('evaluation.benchmarks', {});
    expect(benchmarks[0]).toEqual({ benchmark: 'camerabench-binary', items: 10, samples: 10, splits: [{ split: 'Pan_Left', items: 6 }, { split: 'Static', items: 4 }] });
    const { reports } = await client.call('evaluation.report', { runId, benchmark: 'camerabench-binary' });
    expect(reports[0]).toMatchObject({ items: 10, answered: 9 });
    expect(reports[0]?.notes[0]).toMatch(/no benchmark import named/);
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100, benchmark: 'camerabench-binary', split: 'Static' })).total).toBe(4);
    expect((await client.call('inference.rows', { runId, offset: 0, limit: 100, benchmark: 'camerabench-binary' })).total).toBe(10);
  });
});
