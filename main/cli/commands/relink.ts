// `frustum relink PROJECT DIR`: point missing clips at files under DIR (backend/media/relink.ts),
// which becomes their media folder: their files are read only while they stay inside it.
import { relinkClips } from '../../../backend/media/relink';
import { openProject } from '../../../db/connection';
import { printJson, printLines } from '../output';

export function run(project: string, dir: string, options: { json?: boolean }): void {
  const db = openProject(project);
  try {
    const { relinked, stillMissing, clips } = relinkClips(db, dir);
    if (options.json) printJson({ ok: true, relinked, stillMissing, clips });
    else printLines([`relinked ${relinked} clip(s) to files under ${dir}; ${stillMissing} still missing of ${clips}`]);
  } finally {
    db.close();
  }
}
