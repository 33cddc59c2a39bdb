// import.files: JSON files dropped on the studio, imported all or nothing by an import job (its
// own process: backend/jobs), whose outcome the call waits for.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { ApiError, type MethodRequest, type MethodResponse } from '../../../common/api/contract';
import type { ImportReport } from '../../formats/importFiles';
import type { Handlers, StudioContext } from '../context';

export function importsHandlers(context: StudioContext): Handlers<'import.files'> {
  async function importDropped(request: MethodRequest<'import.files'>): Promise<MethodResponse<'import.files'>> {
    // The import reads paths (and detects formats by content and extension): give each dropped
    // file its own folder so two files of the same name cannot collide, and keep its name. The
    // job removes the folder when it ends, whatever the outcome.
    const folder = mkdtempSync(join(tmpdir(), 'frustum-drop-'));
    let names: string[];
    let paths: string[];
    try {
      names = request.files.map((file, index) => basename(file.name).replace(/[^\w.\- ]/g, '_') || `file-${index}${extname(file.name)}`);
      paths = request.files.map((file, index) => {
        const directory = join(folder, String(index));
        mkdirSync(directory);
        const name = names[index] as string;
        const path = join(directory, name === '.' || name === '..' ? `file-${index}` : name);
        writeFileSync(path, file.content, 'utf8');
        return path;
      });
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    let started;
    try {
      started = context.jobs.start('import', {
        paths,
        format: request.format ?? 'auto',
        // Dropped files have no folder of their own: look for clips beside the project.
        videosDir: dirname(context.projectPath),
        // Recorded as each file's source: its path where the desktop app gave one, else the name
        // it was dropped under (never the temporary copy). A label only: nothing is read from it.
        sourcePaths: request.files.map((file) => file.path ?? file.name),
        scratchFolder: folder,
      });
    } catch (error) {
      // No job owns the copies yet (the project was busy: the call is tried again with new ones).
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    const job = await context.jobs.finished(started.id);
    // Problems name the temporary copies; people know the files by the names they dropped.
    const shown = (text: string) => text.replaceAll(`${folder}/`, '').replace(/(^|\s)\d+\//g, '$1');
    if (job.state === 'succeeded') {
      const report = job.result as ImportReport;
      return { jobId: job.id, samplesAdded: report.samplesAdded, samplesUpdated: report.samplesMerged, clipsAdded: report.clipsAdded, clipsMissing: report.clipsMissing };
    }
    if (job.state === 'cancelled') throw new ApiError('unavailable', 'the import was cancelled; nothing was imported');
    const isInput = (job.result as { failure?: string } | null)?.failure === 'input';
    const message = shown(job.error ?? 'the import failed');
    if (isInput) throw new ApiError('bad-request', `nothing was imported: ${message}`);
    throw new ApiError('internal', `the import failed (job ${job.id}; its log says more): ${message}`);
  }

  return { 'import.files': (request) => importDropped(request) };
}
