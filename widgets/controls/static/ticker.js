// A browser-side clock: asks the kernel to look at the store every `interval_ms`.
// It stops by itself when the page goes away, so no kernel timer outlives its page.
function render({ model, el }) {
  el.hidden = true;
  let timer = null;
  const start = () => {
    if (timer) clearInterval(timer);
    const every = model.get("interval_ms");
    if (model.get("running") && every > 0) timer = setInterval(() => model.send({ tick: true }), every);
  };
  model.on("change:interval_ms", start);
  model.on("change:running", start);
  start();
  return () => { if (timer) clearInterval(timer); };
}
export default { render };
