// A popover (a facet menu, the jobs panel) closes on a mouse press anywhere outside it.
import { useEffect, type RefObject } from 'react';

export function useCloseOnOutsidePress(ref: RefObject<HTMLElement | null>, isOpen: boolean, close: () => void): void {
  useEffect(() => {
    if (!isOpen) return;
    const onDown = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) close();
    };
    addEventListener('mousedown', onDown);
    return () => removeEventListener('mousedown', onDown);
  }, [ref, isOpen, close]);
}
