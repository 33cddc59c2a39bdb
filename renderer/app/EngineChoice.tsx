// The engine picker of the Train and Inspect forms: one radio per engine, the chosen one's hint
// under them. One component, so both forms read and behave alike.
export interface EngineOption<E extends string> {
  engine: E;
  label: string;
  hint: string;
}

export function EngineChoice<E extends string>({ engines, value, name, onChange }: { engines: ReadonlyArray<EngineOption<E>>; value: E; name: string; onChange: (engine: E) => void }) {
  return (
    <fieldset className="engine-choice">
      <legend>Engine</legend>
      {engines.map(({ engine, label, hint }) => (
        <label key={engine} className={value === engine ? 'engine on' : 'engine'} title={hint}>
          <input type="radio" name={name} value={engine} checked={value === engine} onChange={() => onChange(engine)} />
          {label}
        </label>
      ))}
      <p className="engine-hint muted" data-testid="engine-hint">{engines.find((item) => item.engine === value)?.hint}</p>
    </fieldset>
  );
}
