// The Library's facet counts on a worker thread (bundled as dist/workers/facets.cjs; started by
// ./facetCounter.ts). Counting every menu under the other active filters is a few passes over
// all samples — a quarter of a second at 100k — and on the host's thread it delayed the next
// search or filter the person asked for by as much. Here it runs on a read-only connection of
// its own; SQLite's write-ahead log lets it read beside the studio's connection.
import { parentPort, workerData } from 'node:worker_threads';
import { openProject } from '../../db/connection';
import { countFacets } from '../../db/library';
import type { FacetRequest, FacetAnswer } from './facetCounter';

const port = parentPort;
if (port === null) throw new Error('facetsWorker runs as a worker thread');
const db = openProject((workerData as { projectPath: string }).projectPath, { readonly: true });
port.on('message', (request: FacetRequest) => {
  let answer: FacetAnswer;
  try {
    answer = { id: request.id, facets: countFacets(db, request.filter, request.band) };
  } catch (error) {
    answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
