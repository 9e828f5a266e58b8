// Browser tests only (an init script, run before any page script): stand-ins for the Web
// Speech API and Web Audio that record what the page asks for instead of making sound.
//
// window.__withinTestVoices (set just before this script): the voices getVoices() offers.
// window.__withinHoldSpeech = true: an utterance keeps "speaking" until cancelled.
// Every call is pushed to window.__withinSound and, when the test exposed it, sent to
// window.withinTestRecord (which outlives a navigation such as the quick exit).
(() => {
  const voices = (window.__withinTestVoices || []).map((voice) => Object.freeze({ ...voice }));
  const record = (kind, data = {}) => {
    const entry = { kind, ...data };
    (window.__withinSound = window.__withinSound || []).push(entry);
    if (typeof window.withinTestRecord === "function") {
      Promise.resolve(window.withinTestRecord(entry)).catch(() => {});
    }
  };

  class Utterance {
    constructor(text = "") {
      this.text = text;
      this.lang = "";
      this.voice = null;
      this.rate = 1;
      this.pitch = 1;
      this.volume = 1;
      this.onstart = this.onend = this.onerror = null;
    }
  }

  const queue = [];
  let current = null;
  const engine = {
    speaking: false,
    pending: false,
    paused: false,
    onvoiceschanged: null,
    getVoices: () => voices.slice(),
    addEventListener() {},
    removeEventListener() {},
    speak(utterance) {
      const voice = utterance.voice;
      record("speak", {
        text: utterance.text,
        lang: utterance.lang,
        voice: voice ? voice.name : null,
        local: voice ? voice.localService : null,
      });
      queue.push(utterance);
      pump();
    },
    cancel() {
      record("cancel", { speaking: engine.speaking });
      const dropped = [current, ...queue].filter(Boolean);
      queue.length = 0;
      current = null;
      engine.speaking = engine.pending = false;
      for (const utterance of dropped) {
        if (utterance.onerror) utterance.onerror({ error: "canceled" });
      }
    },
    pause() {},
    resume() {},
  };
  function pump() {
    engine.pending = queue.length > 0;
    if (current || !queue.length) return;
    current = queue.shift();
    engine.speaking = true;
    engine.pending = queue.length > 0;
    if (window.__withinHoldSpeech) return; // "speaks" until cancelled
    const spoken = current;
    setTimeout(() => {
      if (current !== spoken) return; // cancelled meanwhile
      current = null;
      engine.speaking = false;
      if (spoken.onend) spoken.onend({});
      pump();
    }, 20);
  }
  Object.defineProperty(window, "speechSynthesis", { value: engine, configurable: true });
  window.SpeechSynthesisUtterance = Utterance;

  class Param {
    constructor(value) {
      this.value = value;
    }
    setValueAtTime(value) {
      this.value = value;
      return this;
    }
    exponentialRampToValueAtTime() {
      return this;
    }
    linearRampToValueAtTime() {
      return this;
    }
  }
  class Node {
    connect(node) {
      return node;
    }
    disconnect() {}
  }
  class Audio {
    constructor() {
      this.state = "running";
      this.currentTime = 0;
      this.destination = new Node();
      record("audio-context");
    }
    createGain() {
      const node = new Node();
      node.gain = new Param(1);
      return node;
    }
    createOscillator() {
      const node = new Node();
      node.type = "sine";
      node.frequency = new Param(440);
      node.start = () => record("tone", { frequency: node.frequency.value });
      node.stop = () => {};
      return node;
    }
    resume() {
      return Promise.resolve();
    }
    close() {
      this.state = "closed";
      record("audio-close");
      return Promise.resolve();
    }
  }
  window.AudioContext = Audio;
  window.webkitAudioContext = Audio;
})();
