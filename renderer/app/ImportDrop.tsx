// Drop JSON files anywhere to import them: read as text, sent in one import.files call (all or
// nothing) with each file's path where the host can tell it (the desktop app; a web page knows
// only names), progress from job.progress events. The outcome says how many clips were not
// found, with a way to see those samples.
import { useEffect, useRef, useState } from 'react';
import type { LibraryFilter } from '../../common/api/contract';
import { errorMessage, useClient, useNotify } from './api';

interface Progress {
  names: string;
  done: number;
  total: number;
  message: string;
}

/** The success message: counts, and the clips that were not found, which a person must relink. */
export function importSummary(names: string, result: { samplesAdded: number; samplesUpdated: number; clipsAdded: number; clipsMissing: number }): string {
  const summary = `Imported ${names}: ${result.samplesAdded} samples added, ${result.samplesUpdated} updated, ${result.clipsAdded} clips added.`;
  const missing = result.clipsMissing;
  if (missing === 0) return summary;
  return `${summary} ${missing.toLocaleString()} ${missing === 1 ? 'clip is' : 'clips are'} missing: relink ${missing === 1 ? 'it' : 'them'} from Review.`;
}

export function ImportDrop({ onShowLibrary }: { onShowLibrary: (filter: LibraryFilter) => void }) {
  const client = useClient();
  const notify = useNotify();
  // The latest callback (it closes over the route) without re-subscribing the drop listeners.
  const showLibrary = useRef(onShowLibrary);
  showLibrary.current = onShowLibrary;
  const [isOver, setOver] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);

  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const onEnter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setOver(true);
    };
    const onLeave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const onOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setOver(false);
      const files = Array.from(event.dataTransfer?.files ?? []);
      const accepted = files.filter((file) => /\.(json|jsonl)$/i.test(file.name));
      if (accepted.length < files.length) notify('error', `Only .json / .jsonl files import; skipped ${files.length - accepted.length}.`);
      if (accepted.length === 0) return;
      const names = accepted.map((file) => file.name).join(', ');
      setProgress({ names, done: 0, total: 0, message: 'reading files…' });
      void (async () => {
        try {
          const contents = await Promise.all(accepted.map(async (file) => {
            const path = client.pathOfFile?.(file) ?? null;
            return { name: file.name, ...(path ? { path } : {}), content: await file.text() };
          }));
          setProgress({ names, done: 0, total: 0, message: 'importing…' });
          const result = await client.call('import.files', { files: contents, format: 'auto' });
          notify(
            'success',
            importSummary(names, result),
            result.clipsMissing > 0 ? { action: { label: 'Show missing', run: () => showLibrary.current({ media: ['missing'] }) } } : {},
          );
        } catch (error) {
          notify('error', `Import of ${names} failed, nothing was changed: ${errorMessage(error)}`);
        } finally {
          setProgress(null);
        }
      })();
    };
    addEventListener('dragenter', onEnter);
    addEventListener('dragleave', onLeave);
    addEventListener('dragover', onOver);
    addEventListener('drop', onDrop);
    return () => {
      removeEventListener('dragenter', onEnter);
      removeEventListener('dragleave', onLeave);
      removeEventListener('dragover', onOver);
      removeEventListener('drop', onDrop);
    };
  }, [client, notify]);

  useEffect(() => client.on('job.progress', (event) => {
    if (event.kind !== 'import') return;
    setProgress((current) => (current ? { ...current, done: event.done, total: event.total, message: event.message } : current));
  }), [client]);

  return (
    <>
      {isOver && <div className="drop-overlay">Drop JSON files to import them into the project</div>}
      {progress && (
        <div className="import-progress" role="status" data-testid="import-progress">
          <div>Importing {progress.names} — {progress.message}</div>
          {progress.total > 0 ? <progress value={progress.done} max={progress.total} /> : <progress />}
        </div>
      )}
    </>
  );
}
