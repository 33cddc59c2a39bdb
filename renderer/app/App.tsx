// The shell: tabs, project name, connection state, theme, help overlay and toasts. Views get
// the client, toasts and a refresh epoch through context; the route lives in the URL hash.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StudioClient, ConnectionState } from '../api/client';
import { LibraryView } from '../library/LibraryView';
import { ReviewView } from '../review/ReviewView';
import { StatsView } from '../stats/StatsView';
import { TrainView } from '../train/TrainView';
import { ClientContext, errorMessage, RefreshContext, ToastContext, type Toast, type ToastAction, type ToastKind } from './api';
import { InspectView } from '../inspect/InspectView';
import { EvaluateView } from '../evaluate/EvaluateView';
import { ImportDrop } from './ImportDrop';
import { JobsMenu } from './JobsMenu';
import { DEFAULT_SORT, formatRoute, parseRoute, tabRoute, TABS, type ReviewMemory, type Route, type Tab } from './route';
import { LibraryCursorContext } from './reviewMemory';
import { isTextTarget, SHORTCUTS } from './shortcuts';
import { applyTheme, initialTheme, type Theme } from './theme';
import type { ProjectInfo } from '../../common/api/contract';

const TAB_LABELS: Record<Tab, string> = { library: 'Library', review: 'Review', train: 'Train', inspect: 'Inspect', evaluate: 'Evaluate', stats: 'Stats' };

export function App({ client }: { client: StudioClient }) {
  const [route, setRouteState] = useState<Route>(() => parseRoute(location.hash));
  const [connection, setConnection] = useState<ConnectionState>(client.connection);
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [epoch, setEpoch] = useState(0);
  const nextToast = useRef(1);

  const notify = useCallback((kind: ToastKind, message: string, options: { action?: ToastAction } = {}) => {
    const id = nextToast.current++;
    setToasts((list) => [...list.slice(-4), { id, kind, message, ...(options.action ? { action: options.action } : {}) }]);
    const close = () => setToasts((list) => list.filter((toast) => toast.id !== id));
    // A toast with a button (Undo) stays long enough to read it and reach for the button.
    setTimeout(close, options.action ? 15_000 : kind === 'error' ? 9000 : 3500);
    return close;
  }, []);

  const setRoute = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const hash = formatRoute(next);
    const url = `${location.pathname}${location.search}${hash}`;
    if (location.hash !== hash) {
      if (options.replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    setRouteState(next);
  }, []);

  // What the Review tab reopens (tabRoute): kept here, in memory, because the Library's hash keeps
  // no sample: Back, a typed address or Stats' links all arrive there without one.
  const reviewMemory = useRef<ReviewMemory>({ lastReviewed: route.tab === 'review' ? route.sampleId : null, libraryCursor: null });
  useEffect(() => {
    if (route.tab === 'review' && route.sampleId !== null) reviewMemory.current.lastReviewed = route.sampleId;
  }, [route]);
  const reportLibraryCursor = useCallback((sampleId: number | null) => {
    reviewMemory.current.libraryCursor = sampleId;
  }, []);
  const openTab = useCallback((tab: Tab) => setRoute(tabRoute(route, tab, reviewMemory.current)), [route, setRoute]);

  useEffect(() => {
    const onHash = () => setRouteState(parseRoute(location.hash));
    addEventListener('popstate', onHash);
    addEventListener('hashchange', onHash);
    return () => {
      removeEventListener('popstate', onHash);
      removeEventListener('hashchange', onHash);
    };
  }, []);

  useEffect(() => {
    let wasClosed = false;
    // The socket may have opened between the first render and this subscription.
    setConnection(client.connection);
    return client.onConnection((state) => {
      setConnection(state);
      if (state === 'closed') wasClosed = true;
      if (state === 'open' && wasClosed) {
        wasClosed = false;
        setEpoch((value) => value + 1);
      }
    });
  }, [client]);

  useEffect(() => {
    // Anything anyone changes (this window, another, the CLI) refetches what is shown; a burst
    // of events (a bulk update) is one refetch.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = client.on('samples.changed', () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        setEpoch((value) => value + 1);
      }, 50);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [client]);

  useEffect(() => {
    client.call('project.info', {}).then(
      (info) => {
        setProject(info);
        document.title = `${info.name} — Frustum`;
      },
      (error: unknown) => notify('error', `project.info: ${errorMessage(error)}`),
    );
  }, [client, notify, epoch]);

  useEffect(() => applyTheme(theme, false), [theme]);
  const toggleTheme = useCallback(() => {
    setTheme((current) => {
      const next = current === 'dark' ? 'light' : 'dark';
      applyTheme(next, true);
      return next;
    });
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const index = TABS.findIndex((_, at) => event.code === `Digit${at + 1}`);
        if (index >= 0) {
          event.preventDefault();
          openTab(TABS[index] as Tab);
          return;
        }
        if (event.code === 'KeyT') {
          event.preventDefault();
          toggleTheme();
          return;
        }
      }
      if (event.key === 'Escape' && isHelpOpen) {
        event.preventDefault();
        event.stopImmediatePropagation();
        setHelpOpen(false);
        return;
      }
      if (event.key === '?' && !isTextTarget(event.target)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        setHelpOpen((open) => !open);
      }
    };
    // Capture phase: the overlay's keys win over the views' handlers.
    addEventListener('keydown', onKey, true);
    return () => removeEventListener('keydown', onKey, true);
  }, [openTab, toggleTheme, isHelpOpen]);

  const view = useMemo(() => {
    switch (route.tab) {
      case 'library':
        return <LibraryView route={route} setRoute={setRoute} />;
      case 'review':
        return <ReviewView route={route} setRoute={setRoute} isActive={!isHelpOpen} />;
      case 'stats':
        return <StatsView route={route} setRoute={setRoute} />;
      case 'train':
        return <TrainView route={route} setRoute={setRoute} />;
      case 'inspect':
        return <InspectView route={route} setRoute={setRoute} />;
      case 'evaluate':
        return <EvaluateView route={route} setRoute={setRoute} />;
    }
  }, [route, setRoute, isHelpOpen]);

  return (
    <ClientContext.Provider value={client}>
      <ToastContext.Provider value={notify}>
        <RefreshContext.Provider value={epoch}>
          <div className="shell">
            <header className="topbar">
              <span className="brand">Frustum</span>
              <nav className="tabs" role="tablist">
                {TABS.map((tab, index) => (
                  <button
                    key={tab}
                    role="tab"
                    aria-selected={route.tab === tab}
                    className={route.tab === tab ? 'tab active' : 'tab'}
                    title={`Alt+${index + 1}`}
                    onClick={() => openTab(tab)}
                  >
                    {TAB_LABELS[tab]}
                  </button>
                ))}
              </nav>
              <span className="spacer" />
              <span className="project" title={project?.path}>{project ? `${project.name} · ${project.sampleCount.toLocaleString()} samples` : '…'}</span>
              <JobsMenu />
              <span className={`connection ${connection}`} data-testid="connection" title={`connection: ${connection}`}>
                <span className="dot" />
                {connection === 'open' ? 'connected' : connection}
              </span>
              <button className="icon" onClick={toggleTheme} title="Theme (Alt+T)" aria-label="Toggle theme">
                {theme === 'dark' ? '☾' : '☀'}
              </button>
              <button className="icon" onClick={() => setHelpOpen(true)} title="Shortcuts (?)" aria-label="Shortcuts">
                ?
              </button>
            </header>
            <main className="view">
              <LibraryCursorContext.Provider value={reportLibraryCursor}>{view}</LibraryCursorContext.Provider>
            </main>
            <ImportDrop onShowLibrary={(filter) => setRoute({ ...route, tab: 'library', sampleId: null, filter, sort: DEFAULT_SORT })} />
            {isHelpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
            <div className="toasts" role="status" aria-live="polite">
              {toasts.map((toast) => (
                <div key={toast.id} className={`toast ${toast.kind}`} onClick={() => setToasts((list) => list.filter((item) => item.id !== toast.id))}>
                  <span className="toast-message">{toast.message}</span>
                  {toast.action && (
                    <button className="toast-action" onClick={() => toast.action?.run()}>{toast.action.label}</button>
                  )}
                </div>
              ))}
            </div>
          </div>
        </RefreshContext.Provider>
      </ToastContext.Provider>
    </ClientContext.Provider>
  );
}

function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="overlay" onClick={onClose} role="dialog" aria-label="Keyboard shortcuts">
      <div className="help" onClick={(event) => event.stopPropagation()}>
        <header>
          <h2>Keyboard shortcuts</h2>
          <button className="icon" onClick={onClose} aria-label="Close">✕</button>
        </header>
        <div className="help-groups">
          {SHORTCUTS.map((group) => (
            <section key={group.title}>
              <h3>{group.title}</h3>
              <dl>
                {group.shortcuts.map((shortcut) => (
                  <div key={shortcut.keys} className="shortcut">
                    <dt>{shortcut.keys.split(/( \/ |, )/).map((part, index) => (part === ' / ' || part === ', ' ? <span key={index}>{part}</span> : <kbd key={index}>{part}</kbd>))}</dt>
                    <dd>{shortcut.action}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
