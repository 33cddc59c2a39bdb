// Relink from the studio: the clip of the sample under review is missing (or refused), and the
// person names the folder that holds it: typed, or picked in the desktop app's folder dialog
// (dialog.pickFolder; a web page cannot show one). clips.relink finds the file there by the path
// its dataset gave, then by its name, and the Review reloads the sample so the clip plays.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ClipDetail } from '../../common/api/contract';
import { errorMessage, useClient, useNotify, useQuery } from '../app/api';

function clipsWord(count: number): string {
  return `${count.toLocaleString()} clip${count === 1 ? '' : 's'}`;
}

export function RelinkDialog({ clip, onClose, onRelinked }: { clip: ClipDetail; onClose: () => void; onRelinked: () => void }) {
  const client = useClient();
  const notify = useNotify();
  const project = useQuery('project.info', {}, { refresh: false });
  const canBrowse = project.data?.host === 'electron';
  const [folder, setFolder] = useState('');
  const [isAlsoOthers, setAlsoOthers] = useState(true);
  const [isBusy, setBusy] = useState(false);
  const [result, setResult] = useState<{ isError: boolean; text: string } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const inputId = useId();
  useEffect(() => inputRef.current?.focus(), []);

  const browse = async () => {
    try {
      const picked = await client.call('dialog.pickFolder', { title: `The folder that holds ${clip.name}` });
      if (picked.folder !== null) setFolder(picked.folder);
    } catch (error) {
      setResult({ isError: true, text: errorMessage(error) });
    }
  };

  const relink = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = folder.trim();
    if (chosen === '' || isBusy) return;
    setBusy(true);
    setResult(null);
    try {
      // This clip first, on its own: its answer says whether the sample under review will play.
      const own = await client.call('clips.relink', { folder: chosen, clipIds: [clip.id] });
      if (own.relinked === 0) {
        setResult({ isError: true, text: `${clip.name} was not found under ${chosen} (by the path its dataset gave, or by its name in any subfolder).` });
        return;
      }
      // Clips usually move together: the same folder may hold the project's other missing ones.
      const others = isAlsoOthers ? await client.call('clips.relink', { folder: chosen }) : null;
      const relinked = own.relinked + (others?.relinked ?? 0);
      const stillMissing = others ? others.stillMissing : 0;
      notify('success', `Relinked ${clipsWord(relinked)} to files under ${chosen}${stillMissing > 0 ? `; ${clipsWord(stillMissing)} still missing` : ''}.`);
      onRelinked();
    } catch (error) {
      setResult({ isError: true, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="overlay" onMouseDown={(event) => {
      if (event.target === event.currentTarget) onClose();
    }}>
      <form
        className="relink"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={(event) => void relink(event)}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.preventDefault();
          onClose();
        }}
      >
        <header>
          <h2 id={titleId}>Relink clips</h2>
          <button type="button" className="icon" onClick={onClose} aria-label="Close">✕</button>
        </header>
        <div>
          <strong>{clip.name}</strong>
          <div className="muted">{clip.mediaError ?? `Its media is ${clip.mediaStatus}.`}</div>
        </div>
        <label htmlFor={inputId}>Folder</label>
        <div className="folder-row">
          <input
            id={inputId}
            ref={inputRef}
            value={folder}
            onChange={(event) => setFolder(event.target.value)}
            placeholder={canBrowse ? 'a folder on this computer' : 'the absolute path of a folder on the machine that serves the studio'}
            spellCheck={false}
          />
          {canBrowse && <button type="button" onClick={() => void browse()} disabled={isBusy}>Browse…</button>}
        </div>
        <label className="check">
          <input type="checkbox" checked={isAlsoOthers} onChange={(event) => setAlsoOthers(event.target.checked)} />
          {' '}also relink the project&apos;s other missing clips found there
        </label>
        <div className={result?.isError ? 'result bad' : 'result'} data-testid="relink-result" role={result?.isError ? 'alert' : undefined}>
          {isBusy ? 'Looking for the file…' : result?.text}
        </div>
        <div className="row-buttons">
          <button type="submit" className="primary" disabled={isBusy || folder.trim() === ''}>Relink</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </div>
  );
}
