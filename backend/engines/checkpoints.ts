// A run's checkpoints, whichever engine wrote them: what the Train view's lineage shows, what a
// resume continues from, and (later) what inference loads. Found where the run's config put
// them (a --set may move output_dir or trainer.save_checkpoint_path), as run.json records.
import { dirname } from 'node:path';
import type { Checkpoint } from '../../common/api/contract';
import { easyR1Checkpoints } from './easyr1';
import { llamaFactoryCheckpoints } from './llamafactory';
import type { RunDescription } from './runFolder';

export type CheckpointInfo = Checkpoint;

export function listCheckpoints(run: Pick<RunDescription, 'engine' | 'paths'>): CheckpointInfo[] {
  if (run.engine === 'llamafactory') return llamaFactoryCheckpoints(dirname(run.paths.metricsLog));
  return run.paths.checkpointFolder === null ? [] : easyR1Checkpoints(run.paths.checkpointFolder);
}
