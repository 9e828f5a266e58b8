// A labelled 0-10 style rating on a native range input: keyboard, touch and screen
// readers all work, and the value is also said in words (aria-valuetext).
let counter = 0;

function render({ model, el }) {
  const id = `within-range-${Math.random().toString(36).slice(2)}-${(counter += 1)}`;
  const box = document.createElement("div");
  box.className = "within-range";
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const shown = document.createElement("output");
  shown.htmlFor = id;
  shown.setAttribute("aria-hidden", "true");
  const ends = document.createElement("div");
  ends.className = "within-range-ends";
  ends.setAttribute("aria-hidden", "true");
  const low = document.createElement("span");
  const high = document.createElement("span");
  ends.append(low, high);
  const row = document.createElement("div");
  row.className = "within-range-row";
  row.append(input, shown);
  box.append(label, row, ends);
  el.append(box);

  const words = (value) => (model.get("value_text") || "{value}").replace("{value}", String(value));
  // Values sent but not yet confirmed: until then the control keeps what the person chose.
  let pending = 0;
  const draw = () => {
    label.textContent = model.get("label");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.disabled = model.get("disabled");
    if (!pending) {
      input.value = String(model.get("value"));
      input.setAttribute("aria-valuetext", words(model.get("value")));
      shown.textContent = String(model.get("value"));
    }
    low.textContent = model.get("low_label");
    high.textContent = model.get("high_label");
  };
  input.addEventListener("input", () => {
    shown.textContent = input.value;
    input.setAttribute("aria-valuetext", words(input.value));
  });
  input.addEventListener("change", () => {
    // A message, sent in order with clicks (state changes can be held back).
    pending += 1;
    model.send({ set: Number(input.value) });
  });
  const confirmed = (message) => {
    if (!message || !message.confirmed) return;
    pending = Math.max(0, pending - 1);
    if (!pending) draw();
  };
  draw();
  const names = "change:value change:label change:min change:max change:step change:low_label change:high_label change:value_text change:disabled";
  model.on(names, draw);
  model.on("msg:custom", confirmed);
  return () => {
    model.off(names, draw);
    model.off("msg:custom", confirmed);
  };
}

export default { render };
