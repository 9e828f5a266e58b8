// Print the run-sheet (print CSS shows only the handout) or download it as one HTML file.
function render({ model, el }) {
  const row = document.createElement("div");
  row.className = "within-handout-buttons";
  const print = document.createElement("button");
  print.type = "button";
  print.className = "jupyter-button";
  print.addEventListener("click", () => window.print());
  const download = document.createElement("button");
  download.type = "button";
  download.className = "jupyter-button";
  download.addEventListener("click", () => {
    const blob = new Blob([model.get("html")], { type: "text/html;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = model.get("filename");
    document.body.appendChild(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  });
  const draw = () => {
    print.textContent = model.get("words").print;
    download.textContent = model.get("words").download;
  };
  model.on("change:words", draw);
  draw();
  row.append(print, download);
  el.appendChild(row);
}
export default { render };
