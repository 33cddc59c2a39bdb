// The Library's side of what the Review tab reopens (route.ts tabRoute): the Library reports the
// sample under its cursor, and the Review tab opens that sample when clicked from the Library.
import { createContext, useContext, useEffect } from 'react';

export const LibraryCursorContext = createContext<(sampleId: number | null) => void>(() => undefined);

/**
 * Reports the sample under the Library's cursor, null for none. Report only a row the person put
 * the cursor on (or that the Library restored): a cursor at row 0 by default would make the
 * Review tab open the first sample again instead of the one last reviewed.
 */
export function useReportLibraryCursor(sampleId: number | null): void {
  const report = useContext(LibraryCursorContext);
  useEffect(() => {
    report(sampleId);
    return () => report(null);
  }, [report, sampleId]);
}
