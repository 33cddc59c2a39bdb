// Lists stored as JSON text (options, tags, lint codes), read leniently: a hand-edited or
// damaged value shows as empty instead of failing the whole call.
export function parseJsonList(json: string | null): string[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
