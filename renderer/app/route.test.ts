import { describe, expect, it } from 'vitest';
import { cleanFilter, DEFAULT_ROUTE, formatRoute, parseRoute, TABS, tabRoute, type Route } from './route';

describe('route', () => {
  it('round-trips tab, sample, filter and sort through the hash', () => {
    const route = { tab: 'review' as const, sampleId: 42, filter: { status: ['draft' as const], search: 'pan left' }, sort: { key: 'updated' as const, direction: 'desc' as const } };
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(formatRoute({ ...DEFAULT_ROUTE, tab: 'stats' })).toBe('#/stats');
    // Inspect keeps the Library's filter: its new-run form asks about those samples.
    const inspect: Route = { ...DEFAULT_ROUTE, tab: 'inspect', filter: { clip: 'dolly' } };
    expect(parseRoute(formatRoute(inspect))).toEqual(inspect);
  });

  it('lists the tabs in the order of DESIGN.md\'s tab bar (Alt+1…6 follow it)', () => {
    expect(TABS).toEqual(['library', 'review', 'train', 'inspect', 'evaluate', 'stats']);
  });

  it('carries an Evaluate cell\'s run, benchmark and split to Inspect, and Evaluate\'s choice of runs', () => {
    const cell: Route = { ...DEFAULT_ROUTE, tab: 'inspect', inspect: { runId: 7, benchmark: 'shotbench', split: 'camera movement' } };
    expect(parseRoute(formatRoute(cell))).toEqual(cell);
    const runOnly: Route = { ...DEFAULT_ROUTE, tab: 'inspect', inspect: { runId: 7 } };
    expect(parseRoute(formatRoute(runOnly))).toEqual(runOnly);
    const compared: Route = { ...DEFAULT_ROUTE, tab: 'evaluate', evaluate: { runIds: [4, 2], benchmark: 'camerabench-binary' } };
    expect(parseRoute(formatRoute(compared))).toEqual(compared);
    // No runs chosen yet: nothing in the hash.
    expect(formatRoute({ ...DEFAULT_ROUTE, tab: 'evaluate', evaluate: { runIds: [] } })).toBe('#/evaluate');
    // A benchmark the contract does not know, or a run id that is not one, is dropped whole.
    expect(parseRoute(`#/inspect?inspect=${encodeURIComponent('{"runId":7,"benchmark":"mmlu"}')}`).inspect).toBeUndefined();
    expect(parseRoute(`#/evaluate?evaluate=${encodeURIComponent('{"runIds":[0]}')}`).evaluate).toBeUndefined();
    // Kept across tabs like the filter: Review and back finds Inspect as the cell left it.
    expect(tabRoute(cell, 'review', { lastReviewed: 3, libraryCursor: null })).toMatchObject({ inspect: cell.inspect });
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

  it('reopens the Library\'s cursor row, else the sample last reviewed, from the Review tab', () => {
    const library: Route = { ...DEFAULT_ROUTE, tab: 'library', filter: { split: ['train'] } };
    expect(tabRoute(library, 'review', { lastReviewed: 9, libraryCursor: null })).toEqual({ ...library, tab: 'review', sampleId: 9 });
    expect(tabRoute(library, 'review', { lastReviewed: 9, libraryCursor: 4 })).toMatchObject({ tab: 'review', sampleId: 4 });
    // The cursor counts only when coming from the Library.
    expect(tabRoute({ ...library, tab: 'stats' }, 'review', { lastReviewed: 9, libraryCursor: 4 })).toMatchObject({ tab: 'review', sampleId: 9 });
    // Nothing remembered: the route's own sample, or none (Review starts at the first of its list).
    expect(tabRoute({ ...library, sampleId: 3 }, 'review', { lastReviewed: null, libraryCursor: null })).toMatchObject({ sampleId: 3 });
    expect(tabRoute(library, 'review', { lastReviewed: null, libraryCursor: null })).toMatchObject({ sampleId: null });
    // Other tabs keep the route as it is.
    expect(tabRoute({ ...library, tab: 'review', sampleId: 5 }, 'stats', { lastReviewed: 5, libraryCursor: 4 })).toEqual({ ...library, tab: 'stats', sampleId: 5 });
  });
});
