// A mindfulness timer that runs entirely in the browser: a breathing circle to follow,
// 1-10 minutes, pause / carry on / stop. The kernel hears only about start, pause, stop
// and the end; screen readers hear the same moments (aria-live), never a second-by-second
// count.
//
// Sound is optional and off until turned on: spoken guidance uses the page shell's
// read-aloud (window.WithinReadAloud: the device's own voices only, the earphones tip on
// first use), and a soft bell is made here with Web Audio. Without the page shell (in
// JupyterLab) only the bell is offered. The quick exit ("within-quick-exit") silences both.

// Guidance: "breathe in / out" for the first breaths, then a noticing prompt about every
// NOTICE_EVERY_S seconds, followed by one more guided breath.
const CUED_BREATHS = 3;
const NOTICE_EVERY_S = 45;
const NOTICES = ["guide_notice_1", "guide_notice_2", "guide_notice_3"];
// The bell: a few sine partials of a small singing bowl, fading over RING_S seconds.
const BELL_HZ = 528;
const PARTIALS = [[1, 0.6], [2.76, 0.22], [5.4, 0.08]];
const RING_S = 5;
const BELL_LEVEL = 0.25;

function render({ model, el }) {
  const w = () => model.get("words") || {};
  const say = (key, fields = {}) =>
    (w()[key] || key).replace(/\{(\w+)\}/g, (_, name) => (name in fields ? String(fields[name]) : `{${name}}`));

  const root = document.createElement("div");
  root.className = "within-timer";
  const id = `within-timer-${Math.random().toString(36).slice(2)}`;

  const pick = document.createElement("div");
  pick.className = "within-timer-pick";
  const label = document.createElement("label");
  label.htmlFor = `${id}-minutes`;
  const select = document.createElement("select");
  select.id = `${id}-minutes`;
  pick.append(label, select);

  // Sound: two switches, off unless turned on.
  const sound = document.createElement("fieldset");
  sound.className = "within-timer-sound";
  const soundLegend = document.createElement("legend");
  const soundHint = document.createElement("p");
  soundHint.className = "within-timer-sound-hint";
  soundHint.id = `${id}-sound-hint`;
  sound.setAttribute("aria-describedby", soundHint.id);
  const switchFor = (name) => {
    const row = document.createElement("label");
    row.className = `within-timer-switch within-timer-${name}`;
    const box = document.createElement("input");
    box.type = "checkbox";
    const words = document.createElement("span");
    row.append(box, words);
    return { row, box, words };
  };
  const guidance = switchFor("guidance");
  const bell = switchFor("bell");
  const soundNote = document.createElement("p");
  soundNote.className = "within-timer-sound-note";
  soundNote.hidden = true;
  sound.append(soundLegend, soundHint, guidance.row, bell.row, soundNote);
  const shell = () => window.WithinReadAloud || null;
  const AudioKind = window.AudioContext || window.webkitAudioContext;
  if (!AudioKind) bell.row.hidden = true;

  const breath = document.createElement("div");
  breath.className = "within-breath";
  breath.setAttribute("aria-hidden", "true");
  const circle = document.createElement("div");
  circle.className = "within-breath-circle";
  const cue = document.createElement("span");
  cue.className = "within-breath-cue";
  circle.append(cue);
  breath.append(circle);

  const clock = document.createElement("div");
  clock.className = "within-timer-clock";
  clock.setAttribute("role", "timer");
  const status = document.createElement("p");
  status.className = "within-timer-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  const buttons = document.createElement("div");
  buttons.className = "within-timer-buttons";
  const start = document.createElement("button");
  const pause = document.createElement("button");
  const stop = document.createElement("button");
  for (const [button, name] of [[start, "start"], [pause, "pause"], [stop, "stop"]]) {
    button.type = "button";
    button.className = `within-timer-button within-timer-${name}`;
    buttons.append(button);
  }
  // On a shared screen (projected) the room sees only the breathing instruction and the
  // clock: the length and the sound fold away under one line for the facilitator's hand.
  const settings = document.createElement("details");
  settings.className = "within-timer-settings";
  const settingsSummary = document.createElement("summary");
  if (model.get("projected")) {
    settings.append(settingsSummary, pick, sound);
    root.append(settings, breath, clock, buttons, status);
  } else {
    root.append(pick, sound, breath, clock, buttons, status);
  }
  el.append(root);

  let elapsedMs = 0;
  let startedAt = 0; // performance.now() when the current running stretch began
  let ticker = null;
  let halfSaid = false;
  let totalS = 0;
  let lastCue = "";
  let audio = null;
  let starting = false; // waiting on the earphones tip before starting

  // --- sound ------------------------------------------------------------------------

  const setSound = (name, on) => {
    model.set(name, on);
    model.save_changes();
    draw();
  };
  const audioContext = () => {
    if (!AudioKind) return null;
    if (!audio || audio.state === "closed") audio = new AudioKind();
    if (audio.state === "suspended" && audio.resume) audio.resume();
    return audio;
  };
  function ring() {
    if (!model.get("bell")) return;
    const context = audioContext();
    if (!context) return;
    const now = context.currentTime;
    const out = context.createGain();
    out.gain.setValueAtTime(0.0001, now);
    out.gain.exponentialRampToValueAtTime(BELL_LEVEL, now + 0.02);
    out.gain.exponentialRampToValueAtTime(0.0001, now + RING_S);
    out.connect(context.destination);
    for (const [ratio, level] of PARTIALS) {
      const tone = context.createOscillator();
      tone.type = "sine";
      tone.frequency.value = BELL_HZ * ratio;
      const gain = context.createGain();
      gain.gain.value = level;
      tone.connect(gain);
      gain.connect(out);
      tone.start(now);
      tone.stop(now + RING_S);
    }
  }
  const speak = (key, interrupt = false) => {
    const api = shell();
    if (api && model.get("guidance")) api.speak([say(key)], { ifQuiet: !interrupt });
  };
  const hush = () => {
    const api = shell();
    if (api && model.get("guidance")) api.cancel();
  };
  function silence() {
    hush();
    if (audio && audio.state !== "closed" && audio.close) audio.close();
    audio = null;
  }
  function guide(done) {
    if (!model.get("guidance")) return;
    const inhale = model.get("inhale");
    const cycle = inhale + model.get("exhale");
    const count = Math.floor(done / cycle);
    const phase = done % cycle < inhale ? "in" : "out";
    const moment = `${count}:${phase}`;
    if (moment === lastCue) return;
    lastCue = moment;
    const every = Math.max(2, Math.round(NOTICE_EVERY_S / cycle));
    if (count < CUED_BREATHS || (count > every && count % every === 1)) {
      speak(phase === "in" ? "breathe_in" : "breathe_out");
    } else if (count >= every && count % every === 0 && phase === "in") {
      speak(NOTICES[(count / every - 1) % NOTICES.length]);
    }
  }
  // Turning a sound on: the earphones tip first (once); guidance needs a voice of the device's own.
  guidance.box.addEventListener("change", () => {
    const api = shell();
    if (!guidance.box.checked || !api) {
      hush();
      setSound("guidance", false);
      return;
    }
    api.voiceFor().then((voice) => {
      if (!voice) {
        guidance.row.hidden = true;
        soundNote.textContent = say("guidance_no_voice");
        soundNote.hidden = false;
        setSound("guidance", false);
        return;
      }
      api.ready().then((ok) => setSound("guidance", ok));
    });
  });
  bell.box.addEventListener("change", () => {
    if (!bell.box.checked) {
      setSound("bell", false);
      return;
    }
    audioContext(); // made during the tap, so the browser lets it sound later
    const api = shell();
    (api ? api.ready() : Promise.resolve(true)).then((ok) => setSound("bell", ok));
  });
  document.addEventListener("within-quick-exit", silence);

  const total = () => model.get("seconds") || model.get("minutes") * 60;
  const elapsed = () => elapsedMs + (model.get("state") === "running" ? performance.now() - startedAt : 0);
  const words = (seconds) => {
    const s = Math.max(0, Math.round(seconds));
    const m = Math.floor(s / 60);
    if (m === 0) return say("seconds", { s });
    if (s % 60 === 0) return say(m === 1 ? "minute_one" : "minutes", { n: m });
    return say("min_sec", { m, s: s % 60 });
  };
  const mmss = (seconds) => {
    const s = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  const report = (state) => {
    model.set("elapsed", Math.round(elapsed() / 1000));
    model.set("state", state);
    model.save_changes();
  };

  function tick() {
    const state = model.get("state");
    const done = elapsed() / 1000;
    const left = totalS - done;
    clock.textContent = mmss(state === "ready" ? total() : left);
    clock.setAttribute("aria-label", `${say("clock_label")}: ${words(state === "ready" ? total() : left)}`);
    const cycle = model.get("inhale") + model.get("exhale");
    cue.textContent = state === "running" || state === "paused"
      ? say(done % cycle < model.get("inhale") ? "breathe_in" : "breathe_out")
      : "";
    if (state !== "running") return;
    if (done < totalS) guide(done);
    if (!halfSaid && totalS >= 60 && done >= totalS / 2) {
      halfSaid = true;
      status.textContent = say("announce_half", { remaining: words(left) });
    }
    if (left <= 0) finish("done");
  }

  function finish(state) {
    const spent = Math.min(totalS, elapsed() / 1000);
    elapsedMs = spent * 1000;
    clearInterval(ticker);
    ticker = null;
    model.set("elapsed", Math.round(spent));
    model.set("state", state);
    model.save_changes();
    status.textContent = say(state === "done" ? "announce_end" : "announce_stop", { elapsed: words(spent) });
    if (state === "done") {
      ring();
      speak("guide_end", true);
    } else {
      hush(); // stopping early is silent
    }
    draw();
  }

  start.addEventListener("click", () => {
    const state = model.get("state");
    if (state === "running" || state === "paused" || starting) return;
    if (model.get("bell")) audioContext(); // during the tap, so the browser lets it sound
    const api = shell();
    if (api && (model.get("guidance") || model.get("bell"))) {
      starting = true;
      api.ready().then((ok) => {
        starting = false;
        if (!ok) {
          model.set("guidance", false);
          model.set("bell", false);
          model.save_changes();
        }
        begin();
      });
    } else {
      begin();
    }
  });
  function begin() {
    elapsedMs = 0;
    halfSaid = false;
    totalS = total();
    startedAt = performance.now();
    report("running");
    status.textContent = say("announce_start", { remaining: words(totalS) });
    lastCue = "";
    ticker = setInterval(tick, 250);
    ring();
    draw();
  }
  pause.addEventListener("click", () => {
    const state = model.get("state");
    if (state === "running") {
      hush();
      elapsedMs += performance.now() - startedAt;
      report("paused");
      status.textContent = say("announce_pause", { remaining: words(totalS - elapsedMs / 1000) });
    } else if (state === "paused") {
      startedAt = performance.now();
      report("running");
      status.textContent = say("announce_resume", { remaining: words(totalS - elapsedMs / 1000) });
    }
    draw();
  });
  stop.addEventListener("click", () => {
    const state = model.get("state");
    if (state === "running" || state === "paused") finish("stopped");
  });
  select.addEventListener("change", () => {
    model.set("minutes", Number(select.value));
    model.save_changes();
    draw();
  });

  function draw() {
    const state = model.get("state");
    label.textContent = say("duration_label");
    settingsSummary.textContent = say("settings");
    if (select.options.length !== 10) {
      select.replaceChildren();
      for (let n = 1; n <= 10; n += 1) {
        const option = document.createElement("option");
        option.value = String(n);
        option.textContent = say(n === 1 ? "minute_one" : "minutes", { n });
        select.append(option);
      }
    }
    select.value = String(model.get("minutes"));
    const active = state === "running" || state === "paused";
    select.disabled = active;
    start.textContent = say(state === "done" || state === "stopped" ? "again" : "start");
    start.hidden = active;
    pause.textContent = say(state === "paused" ? "resume" : "pause");
    pause.hidden = !active;
    stop.textContent = say("stop");
    stop.hidden = !active;
    root.dataset.state = state;
    soundLegend.textContent = say("sound_legend");
    soundHint.textContent = say("sound_hint");
    guidance.words.textContent = say("guidance_label");
    bell.words.textContent = say("bell_label");
    guidance.box.checked = model.get("guidance");
    bell.box.checked = model.get("bell");
    if (!shell()) guidance.row.hidden = true;
    circle.style.animationDuration = `${model.get("inhale") + model.get("exhale")}s`;
    tick();
  }

  draw();
  const redraw = () => draw();
  model.on("change:words change:minutes change:seconds change:guidance change:bell", redraw);
  return () => {
    clearInterval(ticker);
    silence();
    document.removeEventListener("within-quick-exit", silence);
    model.off("change:words change:minutes change:seconds change:guidance change:bell", redraw);
  };
}

export default { render };
