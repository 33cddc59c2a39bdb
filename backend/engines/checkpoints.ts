// A run's checkpoints, whichever engine wrote them: what the Train view's lineage shows, what a
// resume continues from, and (later) what inference loads.
import type { Checkpoint } from '../../common/api/contract';
import { easyR1Checkpoints } from './easyr1';
import { llamaFactoryCheckpoints } from './llamafactory';

export type CheckpointInfo = Checkpoint;

export function listCheckpoints(engine: 'llamafactory' | 'easyr1', runFolder: string): CheckpointInfo[] {
  return engine === 'llamafactory' ? llamaFactoryCheckpoints(runFolder) : easyR1Checkpoints(runFolder);
}
