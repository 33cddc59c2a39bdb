import { describe, expect, it } from 'vitest';
import { createUndoStack, pushState, redo, undo } from './undoStack';

describe('undo stack', () => {
  it('undoes and redoes steps, and a new edit clears the redo branch', () => {
    let stack = createUndoStack('a');
    stack = pushState(stack, 'ab', null, 0);
    stack = pushState(stack, 'abc', null, 10);
    stack = undo(stack);
    expect(stack.present).toBe('ab');
    stack = undo(stack);
    expect(stack.present).toBe('a');
    expect(stack.canUndo).toBe(false);
    stack = redo(stack);
    expect(stack.present).toBe('ab');
    stack = pushState(stack, 'abX', null, 20);
    expect(stack.canRedo).toBe(false);
    expect(undo(stack).present).toBe('ab');
  });

  it('coalesces typing in one field within the window, not across fields or pauses', () => {
    let stack = createUndoStack('');
    stack = pushState(stack, 'h', 'observation', 0);
    stack = pushState(stack, 'he', 'observation', 100);
    stack = pushState(stack, 'hel', 'observation', 200);
    stack = pushState(stack, 'hel!', 'think', 250);
    stack = pushState(stack, 'hel!?', 'think', 5000);
    expect(undo(stack).present).toBe('hel!');
    expect(undo(undo(stack)).present).toBe('hel');
    expect(undo(undo(undo(stack))).present).toBe('');
    expect(undo(undo(undo(stack))).canUndo).toBe(false);
  });

  it('does nothing past either end', () => {
    const stack = createUndoStack(1);
    expect(undo(stack)).toBe(stack);
    expect(redo(stack)).toBe(stack);
  });
});
