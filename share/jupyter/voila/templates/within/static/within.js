/*
 * Within's page shell: the "Get help now" dialog and the quick exit.
 *
 * Loaded as a plain script right after the header, so both work while the notebook
 * is still running (no kernel, no widgets, nothing from outside this server). No
 * inline handlers: everything is bound here, so the page keeps a strict CSP.
 *
 * Quick exit (the button, or Esc pressed twice within ESC_WINDOW_MS):
 *   1. forget this tab's sessionStorage;
 *   2. end this page's kernel at once: POST voila/api/shutdown/<kernelId> with the
 *      _xsrf token, by sendBeacon, else a keepalive fetch (Voilà's own beforeunload
 *      beacon sends the same token from the _xsrf cookie, which Voilà 0.5.13 never
 *      sets, voila-dashboards/voila#1458; Within's prelaunch hook sets it);
 *   3. blank the page at once and leave for the neutral page with
 *      location.replace, so the exited page is not in the tab's history. Moves
 *      between apps inside the page added entries of their own (page_history.js in
 *      widgets/controls/static): the exit first rewinds to the page's first entry
 *      (history.go), points it at the neutral page (replaceState) and, when entries
 *      lie after it, pushes the neutral page once so they are dropped (Forward reaches
 *      none of them); then it leaves as above.
 * Before all of it, silence: speech is cancelled (Chrome keeps a voice speaking
 * across pages) and widgets that make sound hear a "within-quick-exit" event.
 */
(function () {
  "use strict";

  var ESC_WINDOW_MS = 1200;
  var REWIND_WAIT_MS = 1000;
  var doc = document;
  var root = doc.documentElement;
  var exiting = false;
  var lastEscape = -Infinity;

  // The bootstrap in <head> marked projector mode on <html>; mirror it on <body>.
  if (root.classList.contains("within-projector") && doc.body) {
    doc.body.classList.add("within-projector");
  }

  function cookie(name) {
    var match = doc.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  function pageConfig() {
    var element = doc.getElementById("jupyter-config-data");
    if (!element) {
      return null; // the kernel has not started yet
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function endKernel() {
    var config = pageConfig();
    if (!config || !config.kernelId) {
      return false;
    }
    var base = config.baseUrl || "/";
    if (base.charAt(base.length - 1) !== "/") {
      base += "/";
    }
    var url = base + "voila/api/shutdown/" + encodeURIComponent(config.kernelId);
    var token = cookie("_xsrf");
    var sent = false;
    try {
      var form = new FormData();
      form.append("_xsrf", token);
      sent = navigator.sendBeacon(url, form);
    } catch (error) {
      sent = false;
    }
    if (!sent && window.fetch) {
      fetch(url, {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "X-XSRFToken": token },
      }).catch(function () {});
    }
    return true;
  }

  // Read-aloud (read_aloud.js) and the mindfulness bell: nothing may go on sounding.
  function silence() {
    try {
      if (window.speechSynthesis) {
        window.speechSynthesis.cancel();
      }
    } catch (error) {
      // no speech engine: nothing to stop
    }
    try {
      doc.dispatchEvent(new CustomEvent("within-quick-exit"));
    } catch (error) {
      // a listener failed: leave anyway
    }
  }

  // This page load's own history entries (page_history.js): how many lie before the
  // current one, and how many it added in all (some may lie after it, after Back).
  function ownEntries() {
    var state = window.history.state;
    var visit = root.getAttribute("data-within-visit");
    if (!visit || !state || state.withinDoc !== visit) {
      return { before: 0, added: 0 };
    }
    var before = state.withinDepth > 0 ? state.withinDepth : 0;
    var added = Number(root.getAttribute("data-within-added")) || 0;
    return { before: before, added: Math.max(before, added) };
  }

  // Back to the page's first entry: a same-document move, so this script goes on after it.
  function rewind(steps, then) {
    if (steps <= 0) {
      then();
      return;
    }
    var done = false;
    var finish = function () {
      if (!done) {
        done = true;
        window.removeEventListener("popstate", finish, true);
        then();
      }
    };
    window.addEventListener("popstate", finish, true);
    setTimeout(finish, REWIND_WAIT_MS); // a browser that will not go back: leave anyway
    window.history.go(-steps);
  }

  function leave(target, added) {
    if (added > 0) {
      try {
        window.history.replaceState(null, "", target);
        window.history.pushState(null, "", target); // drops every entry after the first
      } catch (error) {
        // a target on another origin (about:blank): the current entry is replaced below
      }
    }
    window.location.replace(target);
  }

  function quickExit() {
    if (exiting) {
      return;
    }
    exiting = true;
    root.classList.add("within-exiting");
    silence();
    var button = doc.getElementById("within-quick-exit");
    var target = (button && button.getAttribute("data-within-exit")) || "about:blank";
    try {
      window.sessionStorage.clear();
    } catch (error) {
      // storage may be disabled; nothing to clear then
    }
    endKernel();
    doc.title = "";
    var entries = ownEntries();
    rewind(entries.before, function () {
      leave(target, entries.added);
    });
  }

  // Esc twice within about a second leaves, wherever the focus is.
  doc.addEventListener(
    "keydown",
    function (event) {
      if ((event.key !== "Escape" && event.key !== "Esc") || event.repeat) {
        return;
      }
      var now = event.timeStamp || Date.now();
      if (now - lastEscape <= ESC_WINDOW_MS) {
        quickExit();
      } else {
        lastEscape = now;
      }
    },
    true
  );

  var exitButton = doc.getElementById("within-quick-exit");
  if (exitButton) {
    exitButton.addEventListener("click", quickExit);
  }

  // "Get help now": a modal <dialog>; focus moves into it and back on close.
  var helpButton = doc.getElementById("within-get-help");
  var dialog = doc.getElementById("within-help");
  if (helpButton && dialog) {
    helpButton.addEventListener("click", function () {
      if (dialog.open) {
        return;
      }
      if (typeof dialog.showModal === "function") {
        dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
    });
    var closeButtons = dialog.querySelectorAll(".within-help-close");
    Array.prototype.forEach.call(closeButtons, function (close) {
      close.addEventListener("click", function () {
        if (typeof dialog.close === "function") {
          dialog.close();
        } else {
          dialog.removeAttribute("open");
        }
        helpButton.focus();
      });
    });
    // A tap on the backdrop (outside the dialog's content) closes it too.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog && typeof dialog.close === "function") {
        dialog.close();
      }
    });
  }

  // Voilà attaches its shell (holding the cells) to the end of <body>; move it into
  // <main> so the skip link and the main landmark lead to the content.
  if (window.MutationObserver) {
    var adopt = function () {
      var shell = doc.getElementById("main");
      var main = doc.getElementById("within-main");
      if (shell && main && shell.parentNode === doc.body) {
        main.appendChild(shell);
        return true;
      }
      return false;
    };
    var watcher = new MutationObserver(function () {
      if (adopt()) {
        watcher.disconnect();
      }
    });
    watcher.observe(doc.body, { childList: true });
  }

  // Links back into the site keep the chosen language and mode (error pages).
  function keepQuery() {
    var query = new URLSearchParams(window.location.search);
    var kept = new URLSearchParams();
    ["lang", "mode"].forEach(function (name) {
      if (query.get(name)) {
        kept.set(name, query.get(name));
      }
    });
    if (!kept.toString()) {
      return;
    }
    Array.prototype.forEach.call(doc.querySelectorAll("a[data-within-keep-query]"), function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      kept.forEach(function (value, name) {
        url.searchParams.set(name, value);
      });
      link.setAttribute("href", url.pathname + url.search);
    });
  }
  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", keepQuery);
  } else {
    keepQuery();
  }
})();
