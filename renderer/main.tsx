// The renderer's entry: pick the transport (Electron's bridge or the web mode's WebSocket),
// apply the theme before the first paint, and mount the shell.
import 'uplot/dist/uPlot.min.css';
import './styles/app.css';
import { createRoot } from 'react-dom/client';
import { pickClient } from './api/pickClient';
import { App } from './app/App';
import { applyTheme, initialTheme } from './app/theme';
import { installBenchHooks } from './app/bench';

applyTheme(initialTheme(), false);
installBenchHooks();
const client = pickClient(window);
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(<App client={client} />);
