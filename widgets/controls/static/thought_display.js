// A thought shown at a distance: on a calm card, as words on a screen, on leaves
// drifting down a stream, or in a playful wobbly style. All movement is CSS in the
// browser (nothing streams from the kernel), can be paused, and stops entirely for
// people who ask their device for reduced motion.
function pieces(text, mode) {
  if (mode === "silly") {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      return [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map((s) => s.segment);
    }
    return Array.from(text);
  }
  const words = text.split(/\s+/).filter(Boolean);
  if (mode === "stream") {
    // At most five leaves: a long thought shares them out.
    const count = Math.min(5, Math.max(1, words.length));
    const size = Math.ceil(words.length / count);
    const leaves = [];
    for (let i = 0; i < words.length; i += size) leaves.push(words.slice(i, i + size).join(" "));
    return leaves.length ? leaves : [text];
  }
  return words.length ? words : [text];
}

function render({ model, el }) {
  const box = document.createElement("div");
  const said = document.createElement("p");
  said.className = "within-sr";
  const stage = document.createElement("div");
  stage.setAttribute("aria-hidden", "true");
  const pause = document.createElement("button");
  pause.type = "button";
  pause.className = "within-motion-toggle";
  let paused = false;
  pause.addEventListener("click", () => {
    paused = !paused;
    box.classList.toggle("within-thought--paused", paused);
    pause.setAttribute("aria-pressed", String(paused));
    draw();
  });
  box.append(said, stage, pause);
  el.append(box);

  function draw() {
    const mode = model.get("mode");
    const text = model.get("text");
    box.className = `within-thought within-thought--${mode}` + (paused ? " within-thought--paused" : "");
    said.textContent = text;
    stage.replaceChildren();
    const moving = mode === "stream" || mode === "silly" || mode === "screen";
    pause.hidden = !moving;
    pause.textContent = paused ? model.get("play_label") : model.get("pause_label");
    pause.setAttribute("aria-pressed", String(paused));
    if (!moving) {
      const card = document.createElement("span");
      card.className = "within-thought-card";
      card.textContent = text;
      stage.append(card);
      return;
    }
    pieces(text, mode).forEach((piece, index) => {
      const part = document.createElement("span");
      part.className = mode === "stream" ? "within-leaf" : "within-piece";
      part.textContent = piece;
      const step = mode === "silly" ? 0.08 : mode === "screen" ? 0.45 : 2.4;
      part.style.animationDelay = `${(index * step).toFixed(2)}s`;
      stage.append(part);
      if (mode !== "stream") stage.append(document.createTextNode(mode === "silly" ? "" : " "));
    });
  }
  draw();
  model.on("change:text change:mode change:pause_label change:play_label", draw);
  return () => model.off("change:text change:mode change:pause_label change:play_label", draw);
}

export default { render };
