// The host's side of the facet worker (./facetsWorker.ts): one worker per open studio, started
// on the first count. The worker answers its messages in order, one count at a time; each answer
// names the request it is for. The host's thread only posts and receives.
import { Worker } from 'node:worker_threads';
import type { Facets, OutlierBand, SampleFilter } from '../../db/library';
import { workerScript } from '../packageRoot';

export interface FacetRequest {
  id: number;
  filter: SampleFilter;
  band: OutlierBand | null;
}
export type FacetAnswer = { id: number; facets: Facets } | { id: number; error: string };

export interface FacetCounter {
  count(filter: SampleFilter, band: OutlierBand | null): Promise<Facets>;
  close(): Promise<void>;
}

export function createFacetCounter(projectPath: string, log: (line: string) => void): FacetCounter {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (facets: Facets) => void; reject: (error: Error) => void }>();

  function failAll(reason: string): void {
    for (const { reject } of pending.values()) reject(new Error(reason));
    pending.clear();
  }

  function started(): Worker {
    if (worker !== null) return worker;
    const created = new Worker(workerScript('facets'), { workerData: { projectPath } });
    // An idle worker must not keep a CLI or test process alive; a count in flight holds a promise anyway.
    created.unref();
    created.on('message', (answer: FacetAnswer) => {
      const waiter = pending.get(answer.id);
      pending.delete(answer.id);
      if (!waiter) return;
      if ('facets' in answer) waiter.resolve(answer.facets);
      else waiter.reject(new Error(answer.error));
    });
    created.on('error', (error) => {
      log(`the facet counter stopped: ${error.message}`);
      failAll(`counting the Library's facets failed: ${error.message}`);
    });
    created.on('exit', () => {
      if (worker === created) worker = null;
      failAll('the facet counter stopped');
    });
    worker = created;
    return created;
  }

  return {
    count(filter, band) {
      const id = nextId++;
      return new Promise<Facets>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        started().postMessage({ id, filter, band } satisfies FacetRequest);
      });
    },
    async close() {
      const running = worker;
      worker = null;
      failAll('the project is closed');
      if (running !== null) await running.terminate();
    },
  };
}
