// The clip's primitive labels (15 CameraBench primitives, yes / no / unknown) and the sample's
// revision history with a word diff against the editor's text and a Restore button.
import { useMemo, useState } from 'react';
import { PRIMITIVES } from '../../common/camerabench/primitives';
import type { PrimitiveLabel, Revision } from '../../common/api/contract';
import { useCall, useQuery } from '../app/api';
import { wordDiff } from './wordDiff';

export function LabelsPanel({ clipId }: { clipId: number }) {
  const labels = useQuery('clip.labels', { clipId });
  const call = useCall();
  const [override, setOverride] = useState<{ clipId: number; labels: PrimitiveLabel[] } | null>(null);
  const current = override?.clipId === clipId && !labels.isLoading ? override.labels : labels.data?.labels;
  const byPrimitive = new Map((current ?? []).map((label) => [label.primitive, label]));
  const set = async (primitive: (typeof PRIMITIVES)[number], value: 0 | 1 | null) => {
    const result = await call('clip.setLabel', { clipId, primitive, value });
    if (result) setOverride({ clipId, labels: result.labels });
  };
  return (
    <section className="panel labels" data-testid="labels-panel">
      <h3>Clip labels</h3>
      <div className="label-grid">
        {PRIMITIVES.map((primitive) => {
          const label = byPrimitive.get(primitive);
          const value = label?.value ?? null;
          return (
            <div key={primitive} className="label-row" title={label?.author ? `set by ${label.author}` : 'unknown'}>
              <span className="label-name">{primitive.replace('_', ' ')}</span>
              <span className="tri">
                <button className={value === 1 ? 'on yes' : ''} onClick={() => void set(primitive, 1)} aria-pressed={value === 1}>yes</button>
                <button className={value === 0 ? 'on no' : ''} onClick={() => void set(primitive, 0)} aria-pressed={value === 0}>no</button>
                <button className={value === null ? 'on unknown' : ''} onClick={() => void set(primitive, null)} aria-pressed={value === null}>?</button>
              </span>
            </div>
          );
        })}
      </div>
    </section>
  );
}

export function HistoryPanel({ sampleId, headId, currentText, revisionCount, onRestored }: {
  sampleId: number;
  headId: number | null;
  currentText: string;
  revisionCount: number;
  onRestored: (revision: Revision) => void;
}) {
  const revisions = useQuery('sample.revisions', { id: sampleId });
  const call = useCall();
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const list = useMemo(() => [...(revisions.data?.revisions ?? [])].sort((left, right) => right.id - left.id), [revisions.data]);
  const selected = list.find((revision) => revision.id === selectedId) ?? null;
  const diff = useMemo(() => (selected ? wordDiff(selected.text, currentText) : []), [selected, currentText]);
  // The count in the header follows the sample; refetch when it moves.
  const [seenCount, setSeenCount] = useState(revisionCount);
  if (seenCount !== revisionCount) {
    setSeenCount(revisionCount);
    revisions.reload();
  }
  return (
    <section className="panel history" data-testid="history-panel" aria-busy={revisions.isLoading || revisions.dataKey !== JSON.stringify({ id: sampleId })}>
      <h3>History ({list.length})</h3>
      <ol className="revisions">
        {list.map((revision) => (
          <li key={revision.id}>
            <button className={revision.id === selectedId ? 'revision selected' : 'revision'} onClick={() => setSelectedId(revision.id === selectedId ? null : revision.id)}>
              <span className="rev-id">r{revision.id}</span>
              <span className={`author ${revision.authorKind}`}>{revision.author}</span>
              <span className="muted">{revision.createdAt.slice(0, 19).replace('T', ' ')}</span>
              {revision.id === headId && <span className="head">current</span>}
            </button>
          </li>
        ))}
      </ol>
      {selected && (
        <div className="diff" data-testid="revision-diff">
          <div className="diff-head">
            <span>r{selected.id} → editor text: <del>removed</del> <ins>added</ins></span>
            <button disabled={selected.id === headId && selected.text === currentText} onClick={async () => {
              const result = await call('sample.restore', { id: sampleId, revisionId: selected.id, parentRevisionId: headId });
              if (result) {
                onRestored(result.revision);
                revisions.reload();
              }
            }}>Restore r{selected.id}</button>
          </div>
          <pre>
            {diff.map((part, index) => part.kind === 'same' ? <span key={index}>{part.text}</span> : part.kind === 'added' ? <ins key={index}>{part.text}</ins> : <del key={index}>{part.text}</del>)}
          </pre>
        </div>
      )}
    </section>
  );
}
