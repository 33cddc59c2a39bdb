// dialog.pickFolder: a folder chosen in a native dialog, which only the desktop app can show. Its
// host answers the method itself (Electron's dialog.showOpenDialog, in the window's process) and
// never forwards it here; the web mode and the in-process client reach this handler, and the
// person types the folder's path instead (the renderer offers "Browse…" only in the desktop app).
import { ApiError } from '../../../common/api/contract';
import type { Handlers, StudioContext } from '../context';

export function dialogHandlers(_context: StudioContext): Handlers<'dialog.pickFolder'> {
  return {
    'dialog.pickFolder': () => {
      throw new ApiError('unavailable', 'choosing a folder needs the desktop app: type its path');
    },
  };
}
