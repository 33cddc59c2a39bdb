// The frame of the Train and Inspect "new run" forms: a titled panel with close, submitted by
// its button or Ctrl/⌘+Enter anywhere inside (the preview beside a form included), so both
// forms start, close and take the shortcut alike.
import { useRef, type ReactNode } from 'react';

export function RunFormShell({ className, formClassName, testId, title, onStart, onCancel, children, aside }: {
  className: string;
  formClassName: string;
  testId: string;
  title: string;
  onStart: () => Promise<void>;
  onCancel: () => void;
  children: ReactNode;
  /** Beside the form, inside the shortcut's reach (Train's preview). */
  aside?: ReactNode;
}) {
  // The newest onStart: the key handler must not start with the settings of an earlier render.
  const startRef = useRef(onStart);
  startRef.current = onStart;
  return (
    <div
      className={className}
      data-testid={testId}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          void startRef.current();
        }
      }}
    >
      <form className={formClassName} onSubmit={(event) => {
        event.preventDefault();
        void onStart();
      }}>
        <header className="form-head">
          <h3>{title}</h3>
          <span className="spacer" />
          <button type="button" className="link" onClick={onCancel}>close</button>
        </header>
        {children}
      </form>
      {aside}
    </div>
  );
}
