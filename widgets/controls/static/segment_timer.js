// A countdown through a run-sheet's segments, running in the browser (no kernel ticks).
// Screen readers hear when a segment starts and ends, not every second.
function fmt(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
}
function render({ model, el }) {
  const words = () => model.get("words");
  el.classList.add("within-segment-timer");
  const title = document.createElement("p");
  title.className = "within-segment-title";
  const clock = document.createElement("p");
  clock.className = "within-segment-clock";
  clock.setAttribute("aria-hidden", "true");
  const status = document.createElement("p");
  status.className = "within-segment-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const buttons = document.createElement("div");
  buttons.className = "within-segment-buttons";
  const mk = (key, fn) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "jupyter-button";
    b.dataset.key = key;
    b.addEventListener("click", fn);
    buttons.appendChild(b);
    return b;
  };
  let left = 0, timer = null, last = 0;
  const segment = () => model.get("segments")[model.get("index")] || null;
  const stopTick = () => { if (timer) clearInterval(timer); timer = null; };
  const draw = () => {
    const w = words(), seg = segment();
    title.textContent = seg ? (w.segment + " " + (model.get("index") + 1) + "/" + model.get("segments").length + ": " + seg.title) : "";
    clock.textContent = fmt(left);
    start.textContent = timer ? w.pause : (left < (seg ? seg.seconds : 0) && left > 0 ? w.resume : w.start);
    next.textContent = w.next;
    reset.textContent = w.reset;
    next.disabled = model.get("index") + 1 >= model.get("segments").length;
  };
  const load = () => { stopTick(); const seg = segment(); left = seg ? seg.seconds : 0; draw(); };
  const tick = () => {
    const now = performance.now();
    left -= (now - last) / 1000;
    last = now;
    if (left <= 0) {
      left = 0; stopTick(); status.textContent = words().time_up; el.classList.add("within-segment-timer--up");
    }
    draw();
  };
  const start = mk("start", () => {
    if (timer) { stopTick(); draw(); return; }
    if (left <= 0) return;
    el.classList.remove("within-segment-timer--up");
    const seg = segment();
    if (seg) status.textContent = seg.title + ": " + fmt(left) + " " + words().remaining;
    last = performance.now();
    timer = setInterval(tick, 250);
    draw();
  });
  const next = mk("next", () => { model.set("index", model.get("index") + 1); model.save_changes(); });
  const reset = mk("reset", () => { el.classList.remove("within-segment-timer--up"); status.textContent = ""; load(); });
  el.append(title, clock, buttons, status);
  model.on("change:index", () => { el.classList.remove("within-segment-timer--up"); status.textContent = ""; load(); });
  model.on("change:segments", load);
  load();
  return () => stopTick();
}
export default { render };
