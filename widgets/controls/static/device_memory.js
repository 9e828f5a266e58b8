// Mirrors the participant code between the kernel and this browser's storage.
function read(key) {
  try {
    return {
      code: sessionStorage.getItem(key) || localStorage.getItem(key) || "",
      remember: localStorage.getItem(key) !== null,
    };
  } catch (error) {
    return { code: "", remember: false }; // storage blocked: behave as a new device
  }
}

function write(key, code, remember) {
  try {
    if (code) sessionStorage.setItem(key, code);
    else sessionStorage.removeItem(key);
    if (code && remember) localStorage.setItem(key, code);
    else localStorage.removeItem(key);
  } catch (error) {
    // Storage blocked (private mode, policy): the code simply is not remembered.
  }
}

function render({ model, el }) {
  el.hidden = true;
  const key = model.get("storage_key");
  const sync = () => write(key, model.get("code"), model.get("remember"));
  if (!model.get("loaded")) {
    if (model.get("code")) {
      sync();
    } else {
      const stored = read(key);
      model.set("code", stored.code);
      model.set("remember", stored.remember);
    }
    model.set("loaded", true);
    model.save_changes();
  }
  model.on("change:code", sync);
  model.on("change:remember", sync);
  return () => {
    model.off("change:code", sync);
    model.off("change:remember", sync);
  };
}

export default { render };
