// An accessible group of choices: a <fieldset> with a <legend>, native check boxes or
// radio buttons, so screen readers announce the group and every choice by name.
// Marked for the page's read-aloud (data-within-read, see widgets/core/read_aloud.py): its
// "Listen" button sits just before the group and reads the question, hint and choices.
let counter = 0;

function render({ model, el }) {
  const name = `within-choice-${Math.random().toString(36).slice(2)}-${(counter += 1)}`;
  el.dataset.withinRead = "item";
  const draw = () => {
    el.replaceChildren();
    const fieldset = document.createElement("fieldset");
    fieldset.className = "within-choices";
    const legend = document.createElement("legend");
    legend.textContent = model.get("legend");
    legend.dataset.withinReadText = "";
    fieldset.append(legend);
    if (model.get("hint")) {
      const hint = document.createElement("p");
      hint.className = "within-choices-hint";
      hint.id = `${name}-hint`;
      hint.textContent = model.get("hint");
      hint.dataset.withinReadText = "";
      fieldset.setAttribute("aria-describedby", hint.id);
      fieldset.append(hint);
    }
    const multiple = model.get("multiple");
    const chosen = new Set(model.get("value"));
    model.get("options").forEach((option, index) => {
      const label = document.createElement("label");
      label.className = "within-choice";
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = name;
      input.value = option.id;
      input.id = `${name}-${index}`;
      input.checked = chosen.has(option.id);
      input.disabled = model.get("disabled");
      input.addEventListener("change", () => {
        const boxes = fieldset.querySelectorAll("input");
        const value = [...boxes].filter((box) => box.checked).map((box) => box.value);
        model.set("value", value);
        model.save_changes();
      });
      const words = document.createElement("span");
      words.textContent = option.label;
      words.dataset.withinReadText = "";
      label.append(input, words);
      fieldset.append(label);
    });
    el.append(fieldset);
  };
  const check = () => {
    const chosen = new Set(model.get("value"));
    el.querySelectorAll("input").forEach((box) => {
      box.checked = chosen.has(box.value);
    });
  };
  draw();
  model.on("change:options change:legend change:hint change:multiple change:disabled", draw);
  model.on("change:value", check);
  return () => {
    model.off("change:options change:legend change:hint change:multiple change:disabled", draw);
    model.off("change:value", check);
  };
}

export default { render };
