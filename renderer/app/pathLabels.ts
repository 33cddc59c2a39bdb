// Short names for file paths shown side by side (the Stats screen's sources, the Library's
// Source menu and chips): long absolute paths cut at the end all read "/home/me/datasets/ca…".
// Each path is shown by its shortest suffix of folders that no other path shares: the file name
// alone, and parent folders only where two paths end alike.

/** Splits a path into its names; both separators, since a Windows host records `C:\…`. */
function namesOf(path: string): string[] {
  return path.split(/[\\/]+/).filter((name) => name !== '');
}

/** Each distinct path → its shortest distinguishing suffix (`a/train.json`, `b/train.json`, `rl.json`). */
export function shortPathLabels(paths: Iterable<string>): Map<string, string> {
  const unique = [...new Set(paths)];
  const names = new Map(unique.map((path) => [path, namesOf(path)]));
  const depth = new Map(unique.map((path) => [path, 1]));
  const labelOf = (path: string): string => {
    const parts = names.get(path) ?? [];
    const shown = depth.get(path) ?? 1;
    // The whole path once no suffix tells it apart (or it has no names at all: '/').
    return shown >= parts.length ? path : parts.slice(-shown).join('/');
  };
  // Every round lengthens each label that another path shares; a label stops growing at its
  // whole path, so this ends after at most as many rounds as the deepest path has folders.
  for (let isChanged = true; isChanged;) {
    isChanged = false;
    const byLabel = new Map<string, string[]>();
    for (const path of unique) {
      const label = labelOf(path);
      byLabel.set(label, [...(byLabel.get(label) ?? []), path]);
    }
    for (const group of byLabel.values()) {
      if (group.length < 2) continue;
      for (const path of group) {
        const shown = depth.get(path) ?? 1;
        if (shown < (names.get(path)?.length ?? 0)) {
          depth.set(path, shown + 1);
          isChanged = true;
        }
      }
    }
  }
  return new Map(unique.map((path) => [path, labelOf(path)]));
}
