import { describe, expect, it } from 'vitest';
import { cleanFilter, DEFAULT_ROUTE, formatRoute, parseRoute } from './route';

describe('route', () => {
  it('round-trips tab, sample, filter and sort through the hash', () => {
    const route = { tab: 'review' as const, sampleId: 42, filter: { status: ['draft' as const], search: 'pan left' }, sort: { key: 'updated' as const, direction: 'desc' as const } };
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(formatRoute({ ...DEFAULT_ROUTE, tab: 'stats' })).toBe('#/stats');
  });

  it('falls back on anything malformed', () => {
    expect(parseRoute('')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/nowhere')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/library?filter=%7Bbad')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/library?filter=' + encodeURIComponent('{"status":["nope"]}')).filter).toEqual({});
    expect(parseRoute('#/review/0').sampleId).toBeNull();
  });

  it('cleans empty filter parts', () => {
    expect(cleanFilter({ status: [], search: '  ', hasContradiction: false, split: ['train'] })).toEqual({ split: ['train'] });
  });
});
