import { describe, expect, it } from 'vitest';
import { shortPathLabels } from './pathLabels';

describe('shortPathLabels', () => {
  it('shows file names, and parent folders only where names repeat', () => {
    const labels = shortPathLabels([
      '/home/me/datasets/camerabench/a/train.json',
      '/home/me/datasets/camerabench/b/train.json',
      '/home/me/datasets/camerabench/rl.json',
      'dropped.json',
    ]);
    expect([...labels.values()]).toEqual(['a/train.json', 'b/train.json', 'rl.json', 'dropped.json']);
  });

  it('goes up as many folders as it takes, and keeps a path that is a suffix of another whole', () => {
    const labels = shortPathLabels(['/x/one/data/train.json', '/x/two/data/train.json', 'train.json', 'C:\\runs\\train.json']);
    expect(labels.get('/x/one/data/train.json')).toBe('one/data/train.json');
    expect(labels.get('/x/two/data/train.json')).toBe('two/data/train.json');
    expect(labels.get('train.json')).toBe('train.json');
    expect(labels.get('C:\\runs\\train.json')).toBe('runs/train.json');
  });

  it('gives distinct paths distinct labels', () => {
    const paths = ['/a/b/c.json', '/a/c.json', '/b/c.json', '/c.json', 'c.json'];
    const labels = shortPathLabels(paths);
    expect(new Set(labels.values()).size).toBe(paths.length);
  });
});
