// Stats: the project's distributions as bar lists, lint and contradiction counts and hygiene
// warnings. Every number opens the Library filtered to the samples behind it. Every percentage
// is a share of the project's samples: a sample may come from several sources and carry several
// lint codes, so shares of the bars' sum would be shares of memberships and issues instead.
// Below the warnings, the shortcut audit (./AuditPanel.tsx), run when asked.
import type { LibraryFilter, ProjectStats } from '../../common/api/contract';
import { PRIMITIVES } from '../../common/camerabench/primitives';
import { useQuery } from '../app/api';
import { AuditPanel } from './AuditPanel';
import { shortPathLabels } from '../app/pathLabels';
import { DEFAULT_SORT, type Route } from '../app/route';

type SetRoute = (route: Route, options?: { replace?: boolean }) => void;

interface Bar {
  label: string;
  /** The whole name where the label is shortened (a source's path). */
  title?: string;
  count: number;
  filter: LibraryFilter;
}

export function StatsView({ route, setRoute }: { route: Route; setRoute: SetRoute }) {
  const stats = useQuery('stats.get', {});
  const open = (filter: LibraryFilter) => setRoute({ ...route, tab: 'library', filter, sort: DEFAULT_SORT, sampleId: null });
  if (!stats.data) return <div className="empty-view">{stats.error ? 'Could not load statistics.' : 'Loading…'}</div>;
  const data: ProjectStats = stats.data;
  const bars = (counts: Record<string, number>, filterOf: (key: string) => LibraryFilter, order?: readonly string[]): Bar[] => {
    const keys = order ? [...order.filter((key) => key in counts), ...Object.keys(counts).filter((key) => !order.includes(key))] : Object.keys(counts).sort((left, right) => (counts[right] ?? 0) - (counts[left] ?? 0));
    return keys.map((key) => ({ label: key, count: counts[key] ?? 0, filter: filterOf(key) }));
  };
  return (
    <div className="stats" data-testid="stats">
      <div className="stat-cards">
        <Card label="samples" value={data.samples} onClick={() => open({})} />
        <Card label="clips" value={data.clips.total} sub={`${data.clips.ok} ok · ${data.clips.missing} missing${data.clips.error ? ` · ${data.clips.error} error` : ''}`} />
        <Card label="with lint issues" value={data.samplesWithLint} sub={share(data.samplesWithLint, data.samples)} onClick={() => open({ lint: ['any'] })} />
        <Card label="contradictions" value={data.contradictions} onClick={() => open({ hasContradiction: true })} />
        <Card label="median chain" value={data.chainLength.p50} sub={`words · p5 ${data.chainLength.p5} · p95 ${data.chainLength.p95}`} />
      </div>
      {data.warnings.length > 0 && (
        <section className="panel warnings">
          <h3>Hygiene warnings</h3>
          <ul>
            {data.warnings.map((warning, index) => (
              <li key={index}>
                <button className="link" onClick={() => open(warning.filter)}>⚠ {warning.message}</button> <code className="muted">{warning.code}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
      <AuditPanel onOpen={open} />
      <div className="stat-grid">
        <BarChart title="Status" bars={bars(data.byStatus, (key) => ({ status: [key as 'draft'] }), ['draft', 'reviewed', 'accepted', 'rejected'])} samples={data.samples} onOpen={open} />
        <BarChart title="Answer letter" bars={bars(data.byAnswer, (key) => ({ answer: [key] }), [...'ABCDEFGHIJ'])} samples={data.samples} onOpen={open} />
        <BarChart title="Split" bars={bars(data.bySplit, (key) => ({ split: [key] }))} samples={data.samples} onOpen={open} />
        <BarChart title="Kind" bars={bars(data.byKind, (key) => ({ kind: [key as 'sft'] }))} samples={data.samples} onOpen={open} />
        <BarChart title="Primitive" bars={bars(data.byPrimitive, (key) => ({ primitive: [key as 'Static'] }), PRIMITIVES)} samples={data.samples} onOpen={open} wide />
        <BarChart
          title="Chain length (words)"
          bars={data.chainLengthHistogram.map((bucket) => ({ label: `${bucket.from}–${bucket.to}`, count: bucket.count, filter: { chainLength: { min: bucket.from, max: bucket.to } } }))}
          samples={data.samples}
          onOpen={open}
          wide
        />
        <BarChart title="Lint" bars={bars(data.lint, (key) => ({ lint: [key] }))} samples={data.samples} onOpen={open} />
        <BarChart title="Source" bars={sourceBars(data.bySource)} samples={data.samples} onOpen={open} />
      </div>
    </div>
  );
}

/** Sources by their shortest distinguishing suffix (long absolute paths all began alike), the path as the title. */
function sourceBars(bySource: Record<string, number>): Bar[] {
  const labels = shortPathLabels(Object.keys(bySource));
  return Object.entries(bySource)
    .sort(([, left], [, right]) => right - left)
    .map(([path, count]) => ({ label: labels.get(path) ?? path, title: path, count, filter: { source: [path] } }));
}

function share(count: number, samples: number): string {
  return samples > 0 ? `${Math.round((count / samples) * 100)}% of samples` : '';
}

function Card({ label, value, sub, onClick }: { label: string; value: number; sub?: string; onClick?: () => void }) {
  const body = (
    <>
      <span className="card-value">{value.toLocaleString()}</span>
      <span className="card-label">{label}</span>
      {sub && <span className="card-sub muted">{sub}</span>}
    </>
  );
  return onClick ? <button className="card" onClick={onClick}>{body}</button> : <div className="card">{body}</div>;
}

function BarChart({ title, bars, samples, onOpen, wide }: { title: string; bars: Bar[]; samples: number; onOpen: (filter: LibraryFilter) => void; wide?: boolean }) {
  const max = Math.max(1, ...bars.map((bar) => bar.count));
  return (
    <section className={`panel chart${wide ? ' wide' : ''}`}>
      <h3>{title}</h3>
      {bars.length === 0 && <div className="muted">none</div>}
      <div className="bars">
        {bars.map((bar) => (
          <button key={bar.title ?? bar.label} className="bar-row" onClick={() => onOpen(bar.filter)} title={`${bar.title ?? bar.label}: ${bar.count.toLocaleString()} of ${samples.toLocaleString()} samples — open in the Library`}>
            <span className="bar-label">{bar.label}</span>
            <span className="bar-track"><span className="bar-fill" style={{ width: `${(bar.count / max) * 100}%` }} /></span>
            <span className="bar-count">{bar.count.toLocaleString()}</span>
            <span className="bar-share muted">{samples ? `${Math.round((bar.count / samples) * 100)}%` : ''}</span>
          </button>
        ))}
      </div>
    </section>
  );
}
