import { describe, expect, it } from 'vitest';
import { rememberedPosition, rememberPosition } from './positions';

describe('list positions', () => {
  it('remembers the last position of each query and forgets the oldest beyond fifty', () => {
    rememberPosition('a', { scrollTop: 900, cursor: 39 });
    rememberPosition('a', { scrollTop: 930, cursor: 40 });
    expect(rememberedPosition('a')).toEqual({ scrollTop: 930, cursor: 40 });
    expect(rememberedPosition('b')).toBeNull();
    for (let index = 0; index < 50; index++) rememberPosition(`q${index}`, { scrollTop: index, cursor: index });
    expect(rememberedPosition('a')).toBeNull();
    expect(rememberedPosition('q0')).toEqual({ scrollTop: 0, cursor: 0 });
  });
});
