// Hidden itself; brings Sarabun where the page has no Thai font of Within's (JupyterLab).
function hasSarabun() {
  for (const face of document.fonts) {
    if (face.family.replace(/["']/g, "") === "Sarabun") return true;
  }
  return false;
}

export default {
  render({ model, el }) {
    el.hidden = true;
    if (hasSarabun() || document.getElementById("within-font-faces")) return;
    model.on("msg:custom", (message) => {
      if (!message || typeof message.fonts !== "string") return;
      if (document.getElementById("within-font-faces")) return;
      const style = document.createElement("style");
      style.id = "within-font-faces";
      style.textContent = message.fonts;
      document.head.appendChild(style);
    });
    model.send({ need: "fonts" });
  },
};
