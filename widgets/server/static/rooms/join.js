// The join page on a phone: polls the room's question, sends one anonymous answer.
// Everything shown is set with textContent: no words from the server become markup.
(function () {
  "use strict";
  const dataEl = document.getElementById("within-join-data");
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent);
  const words = data.words;
  const code = data.code;
  const box = document.getElementById("question");
  const status = document.getElementById("status");
  if (!code || !box) return;
  const POLL_MS = 2000;
  let shownNo = -1;
  let sending = false;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function say(text, problem) {
    status.textContent = text || "";
    status.className = problem ? "note problem" : "note";
  }
  function doneKey(no) { return "within-room-" + code + "-" + no; }
  function clear() { while (box.firstChild) box.removeChild(box.firstChild); }

  function note(text) { clear(); box.appendChild(el("p", { class: "note" }, text)); }

  // After an answer: thanks, and a way to change it (the new answer replaces the old one).
  function thanked(no) {
    note(words.thanks);
    const again = el("button", { type: "button", class: "change" }, words.change);
    again.addEventListener("click", () => {
      sessionStorage.removeItem(doneKey(no));
      shownNo = -1;
      poll();
    });
    box.appendChild(again);
  }

  function choices(question, type) {
    const fieldset = el("fieldset");
    fieldset.appendChild(el("legend", {}, question.prompt));
    if (type === "checkbox") {
      fieldset.appendChild(el("p", { class: "hint" }, words.values_hint.replace("{pick}", String(question.pick))));
    }
    const options = question.kind === "scale"
      ? Array.from({ length: 11 }, (_, n) => [String(n), String(n)])
      : question.options;
    const list = el("div", { class: question.kind === "scale" ? "options scale" : "options" });
    options.forEach(([id, label], index) => {
      const input = el("input", { type: type, name: "answer", id: "answer-" + index, value: id });
      const lab = el("label", { for: "answer-" + index });
      lab.appendChild(input);
      lab.appendChild(el("span", {}, label));
      list.appendChild(lab);
      if (type === "checkbox") {
        input.addEventListener("change", () => {
          const picked = list.querySelectorAll("input:checked").length;
          list.querySelectorAll("input").forEach((other) => {
            other.disabled = !other.checked && picked >= question.pick;
          });
        });
      }
    });
    if (question.kind === "scale") {
      fieldset.appendChild(el("p", { class: "hint" }, question.low + " · " + question.high));
    }
    fieldset.appendChild(list);
    return fieldset;
  }

  function render(room) {
    if (room.state !== "open") { note(words.closed); say(""); return; }
    if (!room.question) { note(words.waiting); return; }
    if (room.question_no === shownNo) return;
    shownNo = room.question_no;
    say("");
    const done = sessionStorage.getItem(doneKey(room.question_no));
    if (done === "passed") { note(words.passed); return; }
    if (done) { thanked(room.question_no); return; }
    const question = room.question;
    clear();
    const form = el("form", { class: "answer", novalidate: "" });
    let read;
    if (question.kind === "word") {
      form.appendChild(el("p", { class: "prompt", id: "prompt" }, question.prompt));
      form.appendChild(el("label", { for: "word" }, words.word_label));
      const input = el("input", { id: "word", name: "word", maxlength: "60", autocomplete: "off", "aria-describedby": "prompt" });
      form.appendChild(input);
      read = () => input.value.trim() || null;
    } else if (question.kind === "values") {
      form.appendChild(choices(question, "checkbox"));
      read = () => {
        const picked = Array.from(form.querySelectorAll("input:checked")).map((i) => i.value);
        return picked.length ? picked : null;
      };
    } else {
      form.appendChild(choices(question, "radio"));
      read = () => {
        const picked = form.querySelector("input:checked");
        if (!picked) return null;
        return question.kind === "scale" ? Number(picked.value) : picked.value;
      };
    }
    const buttons = el("div", { class: "buttons" });
    const send = el("button", { type: "submit", class: "primary" }, words.send);
    const pass = el("button", { type: "button" }, words.pass);
    buttons.appendChild(send);
    buttons.appendChild(pass);
    form.appendChild(buttons);
    pass.addEventListener("click", () => {
      sessionStorage.setItem(doneKey(room.question_no), "passed");
      note(words.passed);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = read();
      if (value === null) { say(words.errors.invalid, true); return; }
      submit(room.question_no, value);
    });
    box.appendChild(form);
  }

  async function submit(no, value) {
    if (sending) return;
    sending = true;
    try {
      const response = await fetch("/api/rooms/" + encodeURIComponent(code) + "/answers", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question_no: no, value: value }),
        credentials: "same-origin", // the phone's random cookie: one answer per question
      });
      if (response.ok) {
        sessionStorage.setItem(doneKey(no), "sent");
        thanked(no);
        say("");
        return;
      }
      let reason = "network";
      try { reason = (await response.json()).error || reason; } catch (e) { /* not JSON */ }
      say(words.errors[reason] || words.errors.network, true);
      if (reason === "stale") { shownNo = -1; poll(); }
    } catch (error) {
      say(words.errors.network, true);
    } finally {
      sending = false;
    }
  }

  async function poll() {
    try {
      const response = await fetch("/api/rooms/" + encodeURIComponent(code), { credentials: "omit", cache: "no-store" });
      if (response.status === 404) { note(words.errors.unknown); return; }
      if (response.ok) render(await response.json());
    } catch (error) {
      /* the Wi-Fi blinked: try again at the next tick */
    }
  }
  poll();
  setInterval(poll, POLL_MS);
})();
