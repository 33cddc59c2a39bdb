// A question that must be answered before something large happens (a bulk change of thousands
// of samples): modal, Enter or the button confirms, Esc or Cancel declines. In the page rather
// than window.confirm, which blocks the renderer and looks like neither theme.
import { useEffect, useRef } from 'react';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
}

export function ConfirmDialog({ request, onAnswer }: { request: ConfirmRequest; onAnswer: (isConfirmed: boolean) => void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    confirmRef.current?.focus();
    // Focus goes back where it was (the Library's rows), so keys keep working after the answer.
    return () => previous?.focus({ preventScroll: true });
  }, []);
  return (
    <div
      className="overlay"
      onClick={() => onAnswer(false)}
      onKeyDown={(event) => {
        // Keys answer the dialog and go no further (the Library's own keys must not act under it).
        event.stopPropagation();
        if (event.key === 'Escape') {
          event.preventDefault();
          onAnswer(false);
        }
      }}
    >
      <div className="confirm" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message" onClick={(event) => event.stopPropagation()}>
        <h2 id="confirm-title">{request.title}</h2>
        <p id="confirm-message">{request.message}</p>
        <div className="confirm-buttons">
          <button onClick={() => onAnswer(false)}>Cancel</button>
          <button ref={confirmRef} className="primary" onClick={() => onAnswer(true)}>{request.confirmLabel}</button>
        </div>
      </div>
    </div>
  );
}
