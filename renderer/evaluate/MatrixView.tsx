// Confusion matrices for the confusable pairs (pan/truck, tilt/pedestal, zoom/dolly, in/out):
// small heat tables of counts, each cell shaded by its share of its row (rows are what the clip
// shows, columns what the model said), one per run side by side.
import type { ConfusionMatrix } from '../../common/api/contract';
import { rowShares } from './evalTables';

export function MatrixGroup({ group }: { group: { key: string; title: string; byRun: Array<{ runId: number; model: string; matrix: ConfusionMatrix }> } }) {
  return (
    <section className="panel eval-matrix-group" data-testid="eval-matrix" data-matrix={group.key}>
      <h3>{group.title}</h3>
      <div className="eval-matrices-row">
        {group.byRun.map(({ runId, matrix }) => (
          <figure key={runId} className="eval-matrix">
            {group.byRun.length > 1 && <figcaption className="muted">#{runId}</figcaption>}
            <MatrixTable matrix={matrix} />
            {matrix.notes.length > 0 && <ul className="eval-table-notes muted">{matrix.notes.map((note) => <li key={note}>{note}</li>)}</ul>}
          </figure>
        ))}
      </div>
    </section>
  );
}

function MatrixTable({ matrix }: { matrix: ConfusionMatrix }) {
  const shares = rowShares(matrix.counts);
  return (
    <table className="heatmap">
      <thead>
        <tr>
          <th />
          {matrix.columnLabels.map((label) => <th key={label} scope="col">{label}</th>)}
        </tr>
      </thead>
      <tbody>
        {matrix.rowLabels.map((rowLabel, row) => (
          <tr key={rowLabel}>
            <th scope="row">{rowLabel}</th>
            {matrix.columnLabels.map((columnLabel, column) => {
              const count = matrix.counts[row]?.[column] ?? 0;
              const share = shares[row]?.[column] ?? 0;
              return (
                <td
                  key={columnLabel}
                  className="heat-cell"
                  data-testid="heat-cell"
                  style={{ backgroundColor: `color-mix(in srgb, var(--accent) ${Math.round(share * 75)}%, transparent)` }}
                  title={`${rowLabel} → ${columnLabel}: ${count.toLocaleString()} (${Math.round(share * 100)}% of the row)`}
                >
                  {count.toLocaleString()}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
