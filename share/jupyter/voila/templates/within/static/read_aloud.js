/*
 * Read-aloud for every Within page, with the device's own voices only.
 *
 * Widgets mark what can be heard (widgets/core/read_aloud.py describes the markers):
 *   data-within-read="step"|"item"  something that can be heard; a "Listen" button goes
 *                                   first inside it;
 *   data-within-read-text           one piece to read, in order (heading, question,
 *                                   answer option); without any, the whole element;
 *   data-within-read-more="ID"      read the element with that id next, a block at a time.
 * A MutationObserver adds the buttons as widgets draw and redraw, so no widget carries
 * its own copy of this code.
 *
 * Privacy: only voices the browser reports as on-device (`localService === true`) are
 * used, so no words go to a cloud voice. Where the device has none for the page's
 * language, the first press says so and every button hides (for the rest of the tab's
 * session). Before the first sound of a session a tip suggests earphones (not on a
 * projector). The quick exit (within.js) cancels speech at once.
 *
 * Screen readers: each button has a name ("Listen to this step"); nothing speaks unless
 * the person presses it, nothing is announced while speaking, speech stops when what
 * it reads leaves the screen, on a single Esc, and when the page is hidden.
 *
 * Other widgets (the mindfulness timer's spoken guidance) use the same voices through
 * window.WithinReadAloud: speak(parts, {ifQuiet}), cancel(), voiceFor(lang), ready().
 */
(function () {
  "use strict";

  var VOICES_WAIT_MS = 2000; // some browsers fill the voice list a moment after load
  var TOLD = "within-read-aloud-told"; // sessionStorage: the earphones tip was shown
  var NONE = "within-read-aloud-none:"; // sessionStorage + language: no voice of its own
  var UNIT = "data-within-read";

  var doc = document;
  var root = doc.documentElement;
  var words = {};
  try {
    words = JSON.parse(doc.getElementById("within-read-aloud-words").textContent);
  } catch (error) {
    words = {};
  }

  function language() {
    return root.lang || "en";
  }

  function say(key) {
    var table = words[language()] || words.en || {};
    return table[key] || "";
  }

  function supported() {
    return !!(window.speechSynthesis && window.SpeechSynthesisUtterance);
  }

  function remember(key) {
    try {
      window.sessionStorage.setItem(key, "1");
    } catch (error) {
      // storage may be disabled: the tip or the note then shows again next page
    }
  }

  function recall(key) {
    try {
      return window.sessionStorage.getItem(key) === "1";
    } catch (error) {
      return false;
    }
  }

  // --- voices ---------------------------------------------------------------------------

  function allVoices() {
    var engine = window.speechSynthesis;
    return new Promise(function (resolve) {
      var list = engine.getVoices() || [];
      if (list.length) {
        resolve(list);
        return;
      }
      var settled = false;
      var settle = function () {
        if (settled) {
          return;
        }
        settled = true;
        if (engine.removeEventListener) {
          engine.removeEventListener("voiceschanged", settle);
        }
        resolve(engine.getVoices() || []);
      };
      if (engine.addEventListener) {
        engine.addEventListener("voiceschanged", settle);
      }
      window.setTimeout(settle, VOICES_WAIT_MS);
    });
  }

  function tag(value) {
    return String(value || "").toLowerCase().replace(/_/g, "-");
  }

  function primary(value) {
    return tag(value).split("-")[0];
  }

  /** The best on-device voice for `lang` (same region first, then the default), or null. */
  function ownVoice(list, lang) {
    var wanted = tag(lang);
    var rank = function (voice) {
      return (tag(voice.lang) === wanted ? 2 : 0) + (voice["default"] ? 1 : 0);
    };
    var fitting = Array.prototype.filter.call(list, function (voice) {
      return voice && voice.localService === true && primary(voice.lang) === primary(wanted);
    });
    fitting.sort(function (a, b) {
      return rank(b) - rank(a);
    });
    return fitting[0] || null;
  }

  function voiceFor(lang) {
    if (!supported()) {
      return Promise.resolve(null);
    }
    return allVoices().then(function (list) {
      return ownVoice(list, lang || language());
    });
  }

  // --- the earphones tip ------------------------------------------------------------------

  var asking = null;

  /** Resolves true once the person has seen the earphones tip and chose to listen. */
  function ready() {
    if (root.classList.contains("within-projector") || recall(TOLD)) {
      return Promise.resolve(true);
    }
    var dialog = doc.getElementById("within-read-tip");
    if (!dialog || typeof dialog.showModal !== "function") {
      return Promise.resolve(true);
    }
    if (asking) {
      return asking;
    }
    var opener = doc.activeElement;
    asking = new Promise(function (resolve) {
      var go = dialog.querySelector(".within-read-tip-go");
      var notNow = dialog.querySelector(".within-read-tip-not-now");
      var yes = function () {
        finish(true);
      };
      var no = function () {
        finish(false);
      };
      var finish = function (ok) {
        go.removeEventListener("click", yes);
        notNow.removeEventListener("click", no);
        dialog.removeEventListener("cancel", no);
        if (dialog.open) {
          dialog.close();
        }
        asking = null;
        if (ok) {
          remember(TOLD);
        }
        if (opener && opener.isConnected && typeof opener.focus === "function") {
          opener.focus();
        }
        resolve(ok);
      };
      go.addEventListener("click", yes);
      notNow.addEventListener("click", no);
      dialog.addEventListener("cancel", no); // Esc
      dialog.showModal();
    });
    return asking;
  }

  // --- speaking ---------------------------------------------------------------------------

  var speaking = null; // {button} while a Listen button's words are being read
  var live = []; // utterances in flight: Chrome drops their events if they are collected

  function clean(text) {
    return String(text || "").replace(/\s+/g, " ").trim();
  }

  function utter(texts, voice, ifQuiet) {
    var engine = window.speechSynthesis;
    if (ifQuiet && (engine.speaking || engine.pending)) {
      return Promise.resolve("busy");
    }
    if (!ifQuiet) {
      engine.cancel();
    }
    return new Promise(function (resolve) {
      if (!texts.length) {
        resolve("done");
        return;
      }
      texts.forEach(function (text, index) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.onerror = function () {
          live = live.filter(function (item) { return item !== utterance; });
          resolve("stopped");
        };
        utterance.onend = function () {
          live = live.filter(function (item) { return item !== utterance; });
          if (index === texts.length - 1) {
            resolve("done");
          }
        };
        live.push(utterance);
        engine.speak(utterance);
      });
    });
  }

  /**
   * Speak `parts` (strings) in the page's language with an on-device voice.
   * Resolves "done", "stopped", "busy" (ifQuiet and already speaking), "declined" (the
   * earphones tip was answered "Not now"), "no-voice" or "unsupported".
   */
  function speak(parts, options) {
    options = options || {};
    var texts = Array.prototype.map.call(parts || [], clean).filter(Boolean);
    if (!supported()) {
      return Promise.resolve("unsupported");
    }
    return voiceFor(options.lang || language()).then(function (voice) {
      if (!voice) {
        return "no-voice";
      }
      return ready().then(function (ok) {
        if (!ok) {
          return "declined";
        }
        if (options.onstart) {
          options.onstart();
        }
        return utter(texts, voice, options.ifQuiet);
      });
    });
  }

  function cancel() {
    var was = speaking;
    speaking = null;
    if (was) {
      label(was.button, false);
    }
    if (window.speechSynthesis) {
      try {
        window.speechSynthesis.cancel();
      } catch (error) {
        // nothing is speaking then
      }
    }
    live = [];
  }

  // --- the buttons ----------------------------------------------------------------------

  function blocks(element, skip) {
    var out = [];
    var children = Array.prototype.filter.call(element.children, function (child) {
      return !(skip && skip(child));
    });
    if (!children.length) {
      out.push(element.textContent);
      return out;
    }
    children.forEach(function (child) {
      if (/^(UL|OL)$/.test(child.tagName)) {
        Array.prototype.forEach.call(child.children, function (item) {
          out.push(item.textContent);
        });
      } else {
        out.push(child.textContent);
      }
    });
    return out;
  }

  function ours(element) {
    return element.classList.contains("within-read-button") || element.classList.contains("within-read-note");
  }

  /** The words of a unit, piece by piece, in reading order. */
  function partsOf(unit) {
    var marked = unit.querySelectorAll("[data-within-read-text]");
    var parts = marked.length
      ? Array.prototype.map.call(marked, function (element) { return element.textContent; })
      : blocks(unit, ours);
    var more = unit.getAttribute("data-within-read-more") || "";
    more.split(/\s+/).forEach(function (id) {
      var element = id && doc.getElementById(id);
      if (element) {
        parts = parts.concat(blocks(element));
      }
    });
    return parts.map(clean).filter(Boolean);
  }

  // The name is the visible words ("Listen to this step"), so voice control finds it too.
  function label(button, on) {
    var kind = button.getAttribute("data-kind");
    button.setAttribute("data-speaking", on ? "true" : "false");
    button.querySelector(".within-read-label").textContent = say(
      on ? "stop" : kind === "item" ? "listen_item" : "listen_step"
    );
  }

  function explain(button) {
    remember(NONE + language());
    root.classList.add("within-read-none");
    var note = doc.createElement("p");
    note.className = "within-read-note";
    note.setAttribute("role", "status");
    note.tabIndex = -1;
    note.textContent = say("no_voice");
    var hadFocus = doc.activeElement === button;
    button.replaceWith(note);
    if (hadFocus) {
      note.focus();
    }
  }

  function press(button) {
    if (speaking && speaking.button === button) {
      cancel();
      return;
    }
    cancel();
    var unit = button.parentNode;
    var mine = { button: button };
    speak(partsOf(unit), {
      onstart: function () {
        speaking = mine;
        label(button, true);
      },
    }).then(function (outcome) {
      if (outcome === "no-voice") {
        explain(button);
      } else if (speaking === mine) {
        speaking = null;
        label(button, false);
      }
    });
  }

  function decorate(unit) {
    var first = unit.firstElementChild;
    if (first && ours(first)) {
      return;
    }
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "within-read-button";
    button.setAttribute("data-kind", unit.getAttribute(UNIT) || "step");
    var icon = doc.createElement("span");
    icon.className = "within-read-icon";
    icon.setAttribute("aria-hidden", "true");
    var text = doc.createElement("span");
    text.className = "within-read-label";
    button.append(icon, text);
    label(button, false);
    button.addEventListener("click", function () {
      press(button);
    });
    unit.insertBefore(button, unit.firstChild);
  }

  function scan() {
    if (speaking && !speaking.button.isConnected) {
      cancel(); // what was being read left the screen
    }
    if (recall(NONE + language())) {
      root.classList.add("within-read-none");
      return;
    }
    Array.prototype.forEach.call(doc.querySelectorAll("[" + UNIT + "]"), decorate);
  }

  window.WithinReadAloud = Object.freeze({
    speak: speak,
    cancel: cancel,
    voiceFor: voiceFor,
    ready: ready,
  });

  if (!supported() || !window.MutationObserver) {
    return; // no speech here: no buttons
  }

  var queued = false;
  new MutationObserver(function () {
    if (queued) {
      return;
    }
    queued = true;
    Promise.resolve().then(function () {
      queued = false;
      scan();
    });
  }).observe(doc.body, { childList: true, subtree: true });
  scan();

  // One Esc stops reading (two leave the page: within.js); so does hiding the page.
  doc.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && speaking) {
      cancel();
    }
  });
  doc.addEventListener("visibilitychange", function () {
    if (doc.visibilityState === "hidden") {
      cancel();
    }
  });
  window.addEventListener("pagehide", cancel);
})();
