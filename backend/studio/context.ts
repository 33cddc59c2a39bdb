// What every handler file of the studio (backend/studio/handlers/) is given: the open project,
// the push-event emitter, the clip media service and the Library's lint state. One object, made
// once by openStudio (./studio.ts), so a handler file depends on this interface and nothing of
// how the studio is put together.
import type { EventName, EventPayload, MethodName, ProjectInfo, ApiHandlers } from '../../common/api/contract';
import type { WritableDB } from '../../db/connection';
import type { JobSupervisor } from '../jobs/supervisor';
import type { FacetCounter } from './facetCounter';
import type { LintRefresher } from './lintRefresher';
import type { ClipMediaService, MediaUrls } from './media';

export type StudioHost = ProjectInfo['host'];

export interface StudioContext {
  readonly db: WritableDB;
  readonly projectPath: string;
  readonly host: StudioHost;
  /** The name a person's revisions carry. */
  readonly author: string;
  readonly mediaUrls: MediaUrls;
  readonly media: ClipMediaService;
  readonly lint: LintRefresher;
  /** The Library's facet counts, on a worker thread with its own connection. */
  readonly facets: FacetCounter;
  /** Long work: every job runs in a process of its own (backend/jobs). */
  readonly jobs: JobSupervisor;
  readonly log: (line: string) => void;
  /** Validated against the contract; a bad payload is logged, never sent. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** The handlers one area contributes; studio.ts checks that the areas together cover the contract. */
export type Handlers<M extends MethodName> = Pick<ApiHandlers, M>;
