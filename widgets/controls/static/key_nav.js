// Page-level keys for projected flows: what a presentation clicker sends.
const NEXT = new Set(["ArrowRight", "PageDown", " ", "Spacebar"]);
const BACK = new Set(["ArrowLeft", "PageUp"]);
// Presenting, on the projected page only (never the presenter's own screen): B (or the
// "." a clicker's blank button sends) blanks the screen and back; F asks for full screen.
const BLANK = new Set(["b", "B", "."]);
const FULL = new Set(["f", "F"]);
const BLANK_ID = "within-blank";

function typingInto(target) {
  if (!(target instanceof Element)) return false;
  return Boolean(
    target.closest("input, textarea, select, button, [contenteditable], [role=radiogroup], [role=radio], dialog")
  );
}

function writingInto(target) {
  return target instanceof Element && Boolean(target.closest("input, textarea, select, [contenteditable], dialog"));
}

function projected() {
  return document.documentElement.classList.contains("within-projector");
}

function toggleBlank() {
  const shown = document.getElementById(BLANK_ID);
  if (shown) {
    shown.remove();
    return;
  }
  const blank = document.createElement("div");
  blank.id = BLANK_ID;
  blank.className = "within-blank";
  blank.setAttribute("aria-hidden", "true");
  blank.addEventListener("click", () => blank.remove());
  document.body.appendChild(blank);
}

function toggleFullScreen() {
  const root = document.documentElement;
  if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  } else if (root.requestFullscreen) {
    root.requestFullscreen({ navigationUI: "hide" }).catch(() => {});
  }
}

function render({ model, el }) {
  el.hidden = true;
  const onKey = (event) => {
    if (!model.get("enabled") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (projected() && !writingInto(event.target) && !event.repeat) {
      if (BLANK.has(event.key)) {
        event.preventDefault();
        toggleBlank();
        return;
      }
      if (FULL.has(event.key)) {
        event.preventDefault();
        toggleFullScreen();
        return;
      }
    }
    if (typingInto(event.target)) return;
    const direction = NEXT.has(event.key) ? "next" : BACK.has(event.key) ? "back" : null;
    if (!direction) return;
    event.preventDefault();
    model.send({ direction });
  };
  document.addEventListener("keydown", onKey);
  return () => {
    document.removeEventListener("keydown", onKey);
    document.getElementById(BLANK_ID)?.remove();
  };
}

export default { render };
