// A labelled 0-10 scale on a native range input: keyboard, touch and screen readers work.
let counter = 0;

function render({ model, el }) {
  counter += 1;
  const id = `within-rating-${Date.now().toString(36)}-${counter}`;
  el.classList.add("within-rating");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "within-rating__label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.step = "1";
  const out = document.createElement("output");
  out.htmlFor = id;
  out.className = "within-rating__value";
  out.setAttribute("aria-hidden", "true");
  const ends = document.createElement("div");
  ends.className = "within-rating__ends";
  ends.setAttribute("aria-hidden", "true");
  const low = document.createElement("span");
  const high = document.createElement("span");
  ends.append(low, high);
  el.append(label, input, out, ends);

  const draw = () => {
    label.textContent = model.get("label");
    input.min = String(model.get("low"));
    input.max = String(model.get("high"));
    input.value = String(model.get("value"));
    low.textContent = `${model.get("low")}: ${model.get("low_words")}`;
    high.textContent = `${model.get("high")}: ${model.get("high_words")}`;
    const spoken = model.get("value_words").replace("{value}", String(model.get("value")));
    input.setAttribute("aria-valuetext", spoken);
    out.textContent = spoken;
    input.disabled = model.get("disabled");
  };
  const changed = () => {
    model.set("value", Number(input.value));
    model.save_changes();
  };
  input.addEventListener("input", changed);
  model.on("change", draw);
  draw();
  return () => {
    input.removeEventListener("input", changed);
    model.off("change", draw);
  };
}

export default { render };
