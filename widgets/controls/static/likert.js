// Native radio groups for questionnaire items: fieldset + legend, one label per option.
// Each item is marked for the page's read-aloud (data-within-read, see widgets/core/read_aloud.py):
// its "Listen" button sits just before the group and reads the question, then every option.
let groupCounter = 0;

function render({ model, el }) {
  const uid = `within-likert-${++groupCounter}`;
  el.classList.add("within-likert");

  function draw() {
    el.replaceChildren();
    const value = model.get("value") || {};
    for (const item of model.get("items")) {
      const unit = document.createElement("div");
      unit.className = "within-read-unit";
      unit.dataset.withinRead = "item";
      const fieldset = document.createElement("fieldset");
      fieldset.className = "within-likert-item";
      fieldset.setAttribute("role", "radiogroup");
      const legend = document.createElement("legend");
      legend.id = `${uid}-${item.id}-legend`;
      legend.textContent = item.number ? `${item.number}. ${item.text}` : item.text;
      legend.dataset.withinReadText = "";
      fieldset.setAttribute("aria-labelledby", legend.id);
      fieldset.append(legend);
      const choices = document.createElement("div");
      choices.className = "within-likert-choices";
      for (const option of model.get("options")) {
        const label = document.createElement("label");
        label.className = "within-likert-option";
        const input = document.createElement("input");
        input.type = "radio";
        input.name = `${uid}-${item.id}`;
        input.value = String(option.code);
        input.dataset.item = item.id;
        input.checked = value[item.id] === option.code;
        input.addEventListener("change", () => {
          if (!input.checked) return;
          // A message, sent in order with clicks (state changes can be held back).
          pending[item.id] = (pending[item.id] || 0) + 1;
          model.send({ choose: item.id, code: option.code });
        });
        const text = document.createElement("span");
        text.textContent = option.label;
        text.dataset.withinReadText = "";
        label.append(input, text);
        choices.append(label);
      }
      fieldset.append(choices);
      unit.append(fieldset);
      el.append(unit);
    }
  }

  // Choices sent but not yet confirmed, by item: the page keeps showing the newest one
  // instead of an older value the kernel is still on its way through.
  const pending = {};

  function syncChecked() {
    const value = model.get("value") || {};
    for (const input of el.querySelectorAll("input[type=radio]")) {
      if (pending[input.dataset.item]) continue;
      input.checked = value[input.dataset.item] === Number(input.value);
    }
  }

  function confirmed(message) {
    if (!message || typeof message.chosen !== "string") return;
    const item = message.chosen;
    if (pending[item]) pending[item] -= 1;
    if (!pending[item]) {
      delete pending[item];
      syncChecked();
    }
  }

  function focusFirst() {
    const first = el.querySelector("fieldset");
    if (!first) return;
    const target = first.querySelector("input:checked") || first.querySelector("input");
    if (target) target.focus();
  }

  draw();
  model.on("change:items", draw);
  model.on("change:options", draw);
  model.on("change:value", syncChecked);
  model.on("change:focus_first", focusFirst);
  model.on("msg:custom", confirmed);
  return () => {
    model.off("change:items", draw);
    model.off("change:options", draw);
    model.off("change:value", syncChecked);
    model.off("change:focus_first", focusFirst);
    model.off("msg:custom", confirmed);
  };
}

export default { render };
