// Migration 2 (issue #3, media): what a probe leaves on a clip besides its JSON (`probe`,
// `content_hash` and `media_status` came with migration 1). The file's size and modification
// time let `frustum probe` skip clips whose file has not changed since, without hashing it.
export const name = 'media';

export const sql = /* sql */ `
ALTER TABLE clips ADD COLUMN media_error TEXT;   -- why the clip is 'missing' or 'error', for people
ALTER TABLE clips ADD COLUMN probed_at TEXT;     -- when probe/media_error were last written
ALTER TABLE clips ADD COLUMN file_size INTEGER;  -- bytes, when probed
ALTER TABLE clips ADD COLUMN file_mtime TEXT;    -- ISO 8601 modification time, when probed
`;
