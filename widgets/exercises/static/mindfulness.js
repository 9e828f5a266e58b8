// A mindfulness timer that runs entirely in the browser: a breathing circle to follow,
// 1-10 minutes, pause / carry on / stop, no sound. The kernel hears only about
// start, pause, stop and the end; screen readers hear the same moments (aria-live),
// never a second-by-second count.
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
  root.append(pick, breath, clock, buttons, status);
  el.append(root);

  let elapsedMs = 0;
  let startedAt = 0; // performance.now() when the current running stretch began
  let ticker = null;
  let halfSaid = false;
  let totalS = 0;

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
    draw();
  }

  start.addEventListener("click", () => {
    const state = model.get("state");
    if (state === "running" || state === "paused") return;
    elapsedMs = 0;
    halfSaid = false;
    totalS = total();
    startedAt = performance.now();
    report("running");
    status.textContent = say("announce_start", { remaining: words(totalS) });
    ticker = setInterval(tick, 250);
    draw();
  });
  pause.addEventListener("click", () => {
    const state = model.get("state");
    if (state === "running") {
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
    circle.style.animationDuration = `${model.get("inhale") + model.get("exhale")}s`;
    tick();
  }

  draw();
  const redraw = () => draw();
  model.on("change:words change:minutes change:seconds", redraw);
  return () => {
    clearInterval(ticker);
    model.off("change:words change:minutes change:seconds", redraw);
  };
}

export default { render };
