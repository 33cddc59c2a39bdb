// One filter menu: a button showing how many values are chosen, a popover of checkboxes with
// how many samples each value has under the other active filters. Esc or a click outside closes it.
import { useCallback, useRef, useState } from 'react';
import { useCloseOnOutsidePress } from '../app/popover';

export function FacetMenu({ label, counts, selected, onChange, extra, labels, isStale = false }: {
  label: string;
  counts: Record<string, number>;
  selected: readonly string[];
  onChange: (values: string[], inputAt: number) => void;
  /** Values that are not in the counts, with their labels (e.g. lint 'any' / 'none'). */
  extra?: Record<string, string> | undefined;
  /** How to show values (a source's short path; its full path is the title). */
  labels?: Record<string, string>;
  /** The counts are of an earlier filter; newer ones are on their way. */
  isStale?: boolean;
}) {
  const [isOpen, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useCloseOnOutsidePress(ref, isOpen, close);
  // A chosen value stays in the menu though the other filters leave it no samples (count 0):
  // it must stay where it can be unchosen.
  const counted = [...new Set([...Object.keys(counts), ...selected.filter((value) => !(value in (extra ?? {})))])];
  const values = [...Object.keys(extra ?? {}), ...counted.sort((left, right) => left.localeCompare(right, undefined, { numeric: true }))];
  const toggle = (value: string, inputAt: number) => onChange(selected.includes(value) ? selected.filter((item) => item !== value) : [...selected, value], inputAt);
  return (
    <div className="facet" ref={ref} onKeyDown={(event) => {
      // Esc closes the menu wherever focus is in it, its button included.
      if (event.key === 'Escape' && isOpen) {
        event.stopPropagation();
        setOpen(false);
      }
    }}>
      <button className={selected.length ? 'facet-button active' : 'facet-button'} aria-expanded={isOpen} onClick={() => setOpen((open) => !open)}>
        {label}{selected.length ? ` (${selected.length})` : ''} ▾
      </button>
      {isOpen && (
        <div className={`facet-menu${isStale ? ' stale' : ''}`} role="menu" aria-label={label} aria-busy={isStale}>
          {values.length === 0 && <div className="muted">{isStale ? 'counting…' : 'no values among these samples'}</div>}
          {values.map((value) => (
            <label key={value} className="facet-option" data-value={value}>
              <input type="checkbox" checked={selected.includes(value)} onChange={(event) => toggle(value, event.nativeEvent.timeStamp)} />
              <span className="facet-value" title={value}>{extra?.[value] ?? labels?.[value] ?? value}</span>
              <span className="count">{value in counts ? counts[value]?.toLocaleString() : value in (extra ?? {}) ? '' : '0'}</span>
            </label>
          ))}
          {selected.length > 0 && <button className="link" onClick={(event) => onChange([], event.nativeEvent.timeStamp)}>clear</button>}
        </div>
      )}
    </div>
  );
}
