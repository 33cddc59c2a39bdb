// import.files: JSON files dropped on the studio, imported all or nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { ApiError, type MethodRequest, type MethodResponse } from '../../../common/api/contract';
import { InputError } from '../../../common/errors';
import { importFilesInWorker } from '../../formats/importInWorker';
import type { Handlers, StudioContext } from '../context';

export function importsHandlers(context: StudioContext): Handlers<'import.files'> {
  const { emit, lint } = context;
  let jobCounter = 0;

  async function importDropped(request: MethodRequest<'import.files'>): Promise<MethodResponse<'import.files'>> {
    const jobId = `import-${Date.now().toString(36)}-${(jobCounter++).toString(36)}`;
    // importFiles reads paths (and detects formats by content and extension): give each dropped
    // file its own folder so two files of the same name cannot collide, and keep its name.
    const folder = mkdtempSync(join(tmpdir(), 'frustum-drop-'));
    try {
      const paths = request.files.map((file, index) => {
        const name = basename(file.name).replace(/[^\w.\- ]/g, '_') || `file-${index}${extname(file.name)}`;
        const directory = join(folder, String(index));
        mkdirSync(directory);
        const path = join(directory, name === '.' || name === '..' ? `file-${index}` : name);
        writeFileSync(path, file.content, 'utf8');
        return path;
      });
      emit('job.progress', { jobId, kind: 'import', done: 0, total: 1, message: `importing ${paths.length} file(s)` });
      let report;
      try {
        // On a worker thread: the host keeps answering, and progress reaches the page as it happens.
        report = await importFilesInWorker(
          // Dropped files have no folder of their own: look for clips beside the project.
          { projectPath: context.projectPath, paths, options: { format: request.format ?? 'auto', videosDir: dirname(context.projectPath) } },
          (done, total) => emit('job.progress', { jobId, kind: 'import', done, total, message: 'importing records' }),
        );
      } catch (error) {
        // Problems name the temporary copy; people know the file by the name they dropped.
        const message = error instanceof Error ? error.message.replaceAll(`${folder}/`, '').replace(/(^|\s)\d+\//g, '$1') : String(error);
        emit('job.finished', { jobId, error: message });
        if (error instanceof InputError) throw new ApiError('bad-request', `nothing was imported: ${message}`);
        throw error;
      }
      lint.markStale();
      emit('job.finished', { jobId, error: null });
      emit('samples.changed', { ids: [], reason: 'import' });
      return { jobId, samplesAdded: report.samplesAdded, samplesUpdated: report.samplesMerged, clipsAdded: report.clipsAdded };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  return { 'import.files': (request) => importDropped(request) };
}
