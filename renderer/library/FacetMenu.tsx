// One filter menu: a button showing how many values are chosen, a popover of checkboxes with
// the project's counts. Esc or a click outside closes it.
import { useEffect, useRef, useState } from 'react';

export function FacetMenu({ label, counts, selected, onChange, extra }: {
  label: string;
  counts: Record<string, number>;
  selected: string[];
  onChange: (values: string[], inputAt: number) => void;
  /** Values that are not in the counts, with their labels (e.g. lint 'any' / 'none'). */
  extra?: Record<string, string>;
}) {
  const [isOpen, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const onDown = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    addEventListener('mousedown', onDown);
    return () => removeEventListener('mousedown', onDown);
  }, [isOpen]);
  const values = [...Object.keys(extra ?? {}), ...Object.keys(counts).sort((left, right) => left.localeCompare(right, undefined, { numeric: true }))];
  const toggle = (value: string, inputAt: number) => onChange(selected.includes(value) ? selected.filter((item) => item !== value) : [...selected, value], inputAt);
  return (
    <div className="facet" ref={ref}>
      <button className={selected.length ? 'facet-button active' : 'facet-button'} aria-expanded={isOpen} onClick={() => setOpen((open) => !open)}>
        {label}{selected.length ? ` (${selected.length})` : ''} ▾
      </button>
      {isOpen && (
        <div className="facet-menu" role="menu" onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            setOpen(false);
          }
        }}>
          {values.length === 0 && <div className="muted">none in this project</div>}
          {values.map((value) => (
            <label key={value} className="facet-option">
              <input type="checkbox" checked={selected.includes(value)} onChange={(event) => toggle(value, event.nativeEvent.timeStamp)} />
              <span className="facet-value" title={value}>{extra?.[value] ?? value}</span>
              <span className="count">{counts[value]?.toLocaleString() ?? ''}</span>
            </label>
          ))}
          {selected.length > 0 && <button className="link" onClick={(event) => onChange([], event.nativeEvent.timeStamp)}>clear</button>}
        </div>
      )}
    </div>
  );
}
