// Opens the page's own "Get help now" dialog (the header button of the Within page).
// Where there is no such header (JupyterLab), the button stays hidden and the words
// beside it say where help is.
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "within-help-button";
  const draw = () => {
    button.textContent = model.get("label");
  };
  const header = () => document.getElementById("within-get-help");
  button.hidden = !header();
  button.addEventListener("click", () => {
    const target = header();
    if (target) target.click();
  });
  draw();
  model.on("change:label", draw);
  el.append(button);
  return () => model.off("change:label", draw);
}

export default { render };
