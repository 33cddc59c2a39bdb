// Migration 5 (issue 9, media confinement): the folder each clip's file must stay inside. A
// dataset names its clips by path, and a path like "../../../../etc/passwd", or a symlink in the
// dataset folder pointing out of it, must never make the studio serve another file. Import and
// relink store the real path (symlinks followed) of the folder the clip was found in; every
// read re-checks that the file's real path is still inside it (backend/media/confine.ts).
// Clips linked before this migration keep NULL: confine.ts confines them, at each use, to the
// folders of their dataset files and of the project, and refuses them elsewhere until relinked.
export const name = 'media-roots';

export const sql = /* sql */ `
ALTER TABLE clips ADD COLUMN media_root TEXT;  -- real path of the folder holding file_path; NULL: linked before migration 5
`;
