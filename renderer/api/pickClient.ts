// Electron when the preload put window.frustum there, else the web mode's WebSocket.
import type { FrustumBridge } from '../../common/api/wire';
import type { StudioClient } from './client';
import { createElectronClient } from './electronClient';
import { createWebSocketClient, webSocketUrl } from './webSocketClient';

export function pickClient(target: Window & { frustum?: FrustumBridge }): StudioClient {
  if (target.frustum) return createElectronClient(target.frustum);
  return createWebSocketClient({ url: webSocketUrl(target.location) });
}
