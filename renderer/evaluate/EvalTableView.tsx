// One benchmark table in its own layout: its columns, the runs' rows (each with its deltas
// against the first run), then the baselines computed here and the published rows quoted, every
// row's basis under its name, and ≠ on rows measured otherwise than the run's. A run's number
// opens its items in Inspect; Copy puts the table on the clipboard as Markdown or TSV.
import type { EvalCellLink } from '../../common/api/contract';
import { useNotify } from '../app/api';
import { copyText } from '../app/clipboard';
import { ROW_KINDS, shortRowLabel, tableMarkdown, tableTsv, type RowKind, type ShownRow, type ShownTable } from './evalTables';

const KIND_HEADINGS: Record<RowKind, string> = {
  run: 'Runs scored here',
  baseline: 'Baselines, computed here on the same items',
  published: 'Published, for context',
};

export function EvalTableView({ table, onOpenInspect }: { table: ShownTable; onOpenInspect: (link: EvalCellLink) => void }) {
  const notify = useNotify();
  const copy = async (format: 'Markdown' | 'TSV') => {
    const text = format === 'Markdown' ? tableMarkdown(table) : tableTsv(table);
    if (await copyText(text)) notify('success', `Copied "${table.title}" as ${format}.`);
    else notify('error', 'The clipboard refused the copy.');
  };
  return (
    <section className="panel eval-table" data-testid="eval-table" data-table={table.key}>
      <header className="eval-table-head">
        <h3>{table.title}</h3>
        <span className="spacer" />
        <button onClick={() => void copy('Markdown')} data-testid="copy-markdown" title="Copy the table as GitHub Markdown, with each row's kind and basis">Copy as Markdown</button>
        <button onClick={() => void copy('TSV')} data-testid="copy-tsv" title="Copy the table as tab-separated values, for a spreadsheet">Copy as TSV</button>
      </header>
      <div className="eval-table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col" className="eval-row-head" />
              {table.columns.map((column) => <th key={column.key} scope="col">{column.label}</th>)}
            </tr>
          </thead>
          {ROW_KINDS.map((kind) => {
            const rows = table.rows.filter((row) => row.kind === kind);
            if (rows.length === 0) return null;
            return (
              <tbody key={kind} className={`eval-group ${kind}`}>
                <tr className="eval-group-row">
                  <th scope="colgroup" colSpan={table.columns.length + 1}>{KIND_HEADINGS[kind]}</th>
                </tr>
                {rows.map((row) => <EvalRowView key={row.key} row={row} isSideBySide={table.isSideBySide} onOpenInspect={onOpenInspect} />)}
              </tbody>
            );
          })}
        </table>
      </div>
      {table.notes.length > 0 && <ul className="eval-table-notes muted">{table.notes.map((note) => <li key={note}>{note}</li>)}</ul>}
    </section>
  );
}

/** A few metrics get their own colour; the rest share one. */
function metricClass(metric: string): string {
  switch (metric) {
    case 'AP':
      return 'ap';
    case 'ROC AUC':
      return 'auc';
    case 'accuracy':
    case 'binary_acc':
    case 'question_acc':
      return 'accuracy';
    default:
      return 'other';
  }
}

function EvalRowView({ row, isSideBySide, onOpenInspect }: { row: ShownRow; isSideBySide: boolean; onOpenInspect: (link: EvalCellLink) => void }) {
  const isIncomparable = row.incomparable.length > 0;
  const why = isIncomparable ? `Not comparable with the run's row: ${row.incomparable.join('; ')}` : '';
  return (
    <tr
      className={`eval-row ${row.kind}${isIncomparable ? ' incomparable' : ''}${row.isReference && isSideBySide ? ' reference' : ''}`}
      data-testid="eval-row"
      data-kind={row.kind}
      {...(row.runId !== null ? { 'data-run': row.runId } : {})}
      data-comparable={!isIncomparable}
    >
      <th scope="row" className="eval-row-head">
        <span className="eval-row-label">
          {row.kind === 'run' && row.runId !== null && <span className="run-badge">#{row.runId}</span>}
          <span className="eval-row-name" title={row.label}>{shortRowLabel(row)}</span>
          {row.kind === 'published' && <span className="kind-tag published">published</span>}
          {row.kind === 'baseline' && <span className="kind-tag baseline">baseline</span>}
          {row.metric !== null && <span className={`metric-tag metric-${metricClass(row.metric)}`} title="The metric of this row: rows are read against rows of the same metric">{row.metric}</span>}
          {isIncomparable && <span className="basis-flag" title={why} data-testid="basis-flag">≠ {row.incomparable.join('; ')}</span>}
        </span>
        <span className="eval-basis" data-testid="eval-basis" title={row.basis}>{row.basis}</span>
        {row.comparableWith.length > 0 && <span className="eval-compare muted" data-testid="eval-compare">read against {row.comparableWith.join(', ')}</span>}
      </th>
      {row.cells.map((cell, index) => {
        const delta = row.deltas?.[index] ?? null;
        if (!cell) return <td key={index} className="eval-cell empty">–</td>;
        const title = [
          cell.n !== undefined ? `${cell.n.toLocaleString()} items` : null,
          delta ? `${delta.text} against ${row.comparedWith ?? 'the first run'}` : null,
          why || null,
          cell.link ? 'open these items in Inspect' : null,
        ].filter(Boolean).join(' · ');
        return (
          <td key={index} className={`eval-cell${isIncomparable ? ' not-comparable' : ''}`} title={title}>
            {cell.link && row.kind === 'run' ? (
              <button className="eval-cell-link" onClick={() => cell.link && onOpenInspect(cell.link)} data-testid="eval-cell" data-split={cell.link.split ?? ''}>
                {cell.display}
              </button>
            ) : (
              <span className="eval-value">{cell.display}</span>
            )}
            {isIncomparable && <sup className="basis-flag">≠</sup>}
            {delta && <span className={`delta ${delta.sign > 0 ? 'up' : delta.sign < 0 ? 'down' : 'same'}`} data-testid="eval-delta">{delta.text}</span>}
          </td>
        );
      })}
    </tr>
  );
}
