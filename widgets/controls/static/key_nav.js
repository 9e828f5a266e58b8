// Page-level keys for projected flows: what a presentation clicker sends.
const NEXT = new Set(["ArrowRight", "PageDown", " ", "Spacebar"]);
const BACK = new Set(["ArrowLeft", "PageUp"]);

function typingInto(target) {
  if (!(target instanceof Element)) return false;
  return Boolean(
    target.closest("input, textarea, select, button, [contenteditable], [role=radiogroup], [role=radio], dialog")
  );
}

function render({ model, el }) {
  el.hidden = true;
  const onKey = (event) => {
    if (!model.get("enabled") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typingInto(event.target)) return;
    const direction = NEXT.has(event.key) ? "next" : BACK.has(event.key) ? "back" : null;
    if (!direction) return;
    event.preventDefault();
    model.send({ direction });
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}

export default { render };
