// Moving between apps inside one page (widgets/controls/page_history.py says why).
//
// Each history entry of this page carries { withinApp, withinDepth, withinDoc }: the app,
// how many entries this page has added before it, and which page load added it. Nothing
// else: never a code, a step or an answer. The quick exit (within.js) reads withinDepth to
// rewind this page's entries before it leaves, and trusts it only when withinDoc matches
// <html data-within-visit>, which this module sets once per page load; <html
// data-within-added> says how many entries this page load added in all.

const CHECK_AGAIN_MS = 2000; // while the server does not answer (a restart), ask again
const SILENCE_MS = 3000; // a tap or key press with no word from the kernel this long: ask
const HEADING_WAIT_MS = 10000; // give up moving focus if the heading never draws

function visitId() {
  const root = document.documentElement;
  if (!root.dataset.withinVisit) {
    root.dataset.withinVisit =
      window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
  }
  return root.dataset.withinVisit;
}

function pageConfig() {
  try {
    return JSON.parse(document.getElementById("jupyter-config-data").textContent);
  } catch (error) {
    return {};
  }
}

function fileName(pathname) {
  return decodeURIComponent(pathname.slice(pathname.lastIndexOf("/") + 1));
}

function directory(pathname) {
  return pathname.slice(0, pathname.lastIndexOf("/") + 1);
}

// The language and mode of an address, the only parameters an in-page move may carry. An
// address without them (`/` leads to a bare home.ipynb) means the page's own language, as
// the template's bootstrap chose it, and self-guided.
function visitOf(search) {
  const query = new URLSearchParams(search);
  const names = [...new Set(query.keys())];
  return {
    lang: query.get("lang") || document.documentElement.lang,
    mode: query.get("mode") === "projector" ? "projector" : "self",
    plain: names.every((name) => name === "lang" || name === "mode"),
  };
}

// The app a link opens in place, or "" when the browser should follow it as usual.
function appOfLink(event, links) {
  if (event.defaultPrevented || event.button !== 0) return "";
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return ""; // a new tab
  const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
  if (!link || link.hasAttribute("download")) return "";
  if (link.target && link.target !== "_self") return "";
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return "";
  if (directory(url.pathname) !== directory(window.location.pathname)) return "";
  const app = links[fileName(url.pathname)];
  if (!app) return "";
  const here = visitOf(window.location.search);
  const there = visitOf(url.search);
  // Another language or mode changes the page shell too: that is a page load.
  if (!there.plain || there.lang !== here.lang || there.mode !== here.mode) return "";
  return app;
}

function moveFocus(app) {
  const find = () => document.querySelector(`[data-within-heading="${CSS.escape(app)}"]`);
  const focus = (heading) => {
    window.scrollTo(0, 0);
    heading.focus({ preventScroll: true });
  };
  const found = find();
  if (found) {
    focus(found);
    return;
  }
  const watcher = new MutationObserver(() => {
    const heading = find();
    if (heading) {
      watcher.disconnect();
      focus(heading);
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => watcher.disconnect(), HEADING_WAIT_MS);
}

// A kernel that ends brings the person back to this address: the app they were in.
// Jupyter's client notices a dropped connection (a server restart, a phone that slept
// while the culler ended its kernel), but not always a kernel shut down under an open
// connection; so the page also asks when it comes back into view and when a tap or key
// press gets no word from the kernel. Asking is one small request to this server, and
// only its answer "no such kernel" reloads: a slow kernel never does.
function watchKernel(model, exiting) {
  const kernel = model.widget_manager && model.widget_manager.kernel;
  if (!kernel || !kernel.connectionStatusChanged) return () => {};
  const config = pageConfig();
  let base = config.baseUrl || "/";
  if (!base.endsWith("/")) base += "/";
  const id = kernel.id || config.kernelId;
  let retry = null;
  let waiting = null;
  let asking = false;
  let gone = false;
  const comeBack = () => {
    if (gone || exiting()) return;
    gone = true;
    window.location.reload();
  };
  const check = () => {
    if (asking || gone || exiting()) return;
    asking = true;
    fetch(`${base}api/kernels/${encodeURIComponent(id)}`, { credentials: "same-origin", cache: "no-store" })
      .then((response) => {
        asking = false;
        if (response.status === 404) comeBack();
        else if (!response.ok) later();
      })
      .catch(() => {
        asking = false;
        later(); // the server is away (a restart): ask again until it answers
      });
  };
  const later = () => {
    if (retry === null && kernel.connectionStatus !== "connected") {
      retry = setTimeout(() => {
        retry = null;
        check();
      }, CHECK_AGAIN_MS);
    }
  };
  const onConnection = (_kernel, status) => {
    if (status === "disconnected") comeBack();
    else if (status === "connecting") check();
  };
  const onStatus = (_kernel, status) => {
    if (status === "dead") comeBack();
    else if (waiting !== null) {
      clearTimeout(waiting); // the kernel answered
      waiting = null;
    }
  };
  const onInput = () => {
    if (waiting === null && !exiting()) {
      waiting = setTimeout(() => {
        waiting = null;
        check();
      }, SILENCE_MS);
    }
  };
  const onVisible = () => {
    if (document.visibilityState === "visible") check();
  };
  kernel.connectionStatusChanged.connect(onConnection);
  kernel.statusChanged.connect(onStatus);
  document.addEventListener("click", onInput, true);
  document.addEventListener("keydown", onInput, true);
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    kernel.connectionStatusChanged.disconnect(onConnection);
    kernel.statusChanged.disconnect(onStatus);
    document.removeEventListener("click", onInput, true);
    document.removeEventListener("keydown", onInput, true);
    document.removeEventListener("visibilitychange", onVisible);
    clearTimeout(retry);
    clearTimeout(waiting);
  };
}

function render({ model, el }) {
  el.hidden = true;
  // Only on Within's own pages (Voilà); in JupyterLab links and history stay as they are.
  if (!document.body || !document.body.classList.contains("within")) return undefined;
  const root = document.documentElement;
  const exiting = () => root.classList.contains("within-exiting");
  const visit = visitId();
  const state = history.state || {};
  let depth = state.withinDoc === visit ? state.withinDepth || 0 : 0;
  if (state.withinDoc !== visit) {
    // This page load's first entry (a reload starts again: earlier entries are other pages).
    history.replaceState({ withinApp: model.get("app"), withinDepth: 0, withinDoc: visit }, "");
  }

  const ask = (app) => {
    model.set("app", app);
    model.save_changes();
  };

  const onClick = (event) => {
    if (exiting()) return;
    const app = appOfLink(event, model.get("links"));
    if (!app) return;
    event.preventDefault();
    if (app === model.get("app")) return;
    const url = new URL(event.target.closest("a[href]").href, window.location.href);
    depth += 1;
    history.pushState({ withinApp: app, withinDepth: depth, withinDoc: visit }, "", url.pathname + url.search);
    root.dataset.withinAdded = String(depth); // a push drops the entries after it
    ask(app);
  };

  const onPopState = (event) => {
    if (exiting()) return;
    const entry = event.state;
    if (entry && entry.withinDoc === visit && entry.withinApp) {
      depth = entry.withinDepth || 0;
      if (entry.withinApp !== model.get("app")) ask(entry.withinApp);
      return;
    }
    // An entry without our state (the skip link's #within-main): this page's own address.
    const app = model.get("links")[fileName(window.location.pathname)];
    if (app && app !== model.get("app")) ask(app);
  };

  // The skip link adds an entry with no state: it belongs to this page, one deeper.
  const onHashChange = () => {
    if (history.state === null) {
      depth += 1;
      history.replaceState({ withinApp: model.get("app"), withinDepth: depth, withinDoc: visit }, "");
      root.dataset.withinAdded = String(depth);
    }
  };

  const onShown = () => {
    if (!exiting()) moveFocus(model.get("shown"));
  };

  document.addEventListener("click", onClick);
  window.addEventListener("popstate", onPopState);
  window.addEventListener("hashchange", onHashChange);
  model.on("change:shown", onShown);
  const stopWatching = watchKernel(model, exiting);
  return () => {
    document.removeEventListener("click", onClick);
    window.removeEventListener("popstate", onPopState);
    window.removeEventListener("hashchange", onHashChange);
    model.off("change:shown", onShown);
    stopWatching();
  };
}

export default { render };
