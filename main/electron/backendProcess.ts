// The Electron app's backend: a utility process (utilityProcess.fork in ./main.ts, after Actual
// Budget) that opens the project and runs the studio, so database work, media decoding and job
// supervision never hold the window's main process. It speaks ./backendChannel.ts over its
// parent port. Started as `backend.cjs PROJECT`. No Electron import: a utility process is Node
// with `process.parentPort` added.
import { openStudio } from '../../backend/studio/studio';
import { serveStudio, type MessagePortLike } from './backendChannel';
import { ELECTRON_MEDIA_URLS } from './security';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort === undefined) {
  process.stderr.write('backendProcess runs as an Electron utility process\n');
  process.exit(2);
}
const port: MessagePortLike = {
  postMessage: (message) => parentPort.postMessage(message),
  onMessage: (listener) => {
    const wrapped = (event: { data: unknown }) => listener(event.data);
    parentPort.on('message', wrapped);
    return () => parentPort.off('message', wrapped);
  },
};

const [projectPath] = process.argv.slice(2);
try {
  if (projectPath === undefined) throw new Error('no project given');
  const studio = openStudio({ projectPath, host: 'electron', mediaUrls: ELECTRON_MEDIA_URLS });
  serveStudio(studio, port, () => process.exit(0));
  port.postMessage({ type: 'ready', projectPath });
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
