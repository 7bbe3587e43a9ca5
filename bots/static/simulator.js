// The web chat: posts what the resident writes, shows replies and their buttons,
// and polls for later messages (a consultant's) every few seconds.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const quick = document.getElementById("quick");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const api = document.querySelector("main").dataset.api;  // /simulator/api/messages
  let user = localStorage.getItem("tsunagu-user");
  if (!user) {
    user = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
    localStorage.setItem("tsunagu-user", user);
  }
  let lastId = 0;
  const shown = new Set();

  function add(cls, text, who) {
    const li = document.createElement("li");
    li.className = cls;
    const wrap = document.createElement("div");
    if (who) {
      const w = document.createElement("div");
      w.className = "who";
      w.textContent = who;
      wrap.appendChild(w);
    }
    const b = document.createElement("div");
    b.className = "bubble";
    b.textContent = text;
    wrap.appendChild(b);
    li.appendChild(wrap);
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  function showReplies(replies) {
    for (const r of replies) {
      if (shown.has(r.id)) continue;
      shown.add(r.id);
      lastId = Math.max(lastId, r.id);
      const staff = r.from === "staff";
      add(staff ? "them staff" : "them", r.text, staff ? "相談員" : "");
      quick.innerHTML = "";
      for (const q of r.quick_replies || []) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = q.label;
        button.addEventListener("click", () => send({ postback: q.postback, label: q.label }, q.label));
        quick.appendChild(button);
      }
    }
  }

  async function send(payload, echo) {
    add("me", echo);
    quick.innerHTML = "";
    try {
      const res = await fetch(api, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ user: user }, payload)),
      });
      const data = await res.json();
      if (res.status >= 400) { add("them", "送信できませんでした：" + (data.error || res.status)); return; }
      showReplies(data.replies || []);
    } catch (e) {
      add("them", "通信できませんでした。少し時間をおいて、もう一度お試しください。");
    }
  }

  async function poll() {
    try {
      const res = await fetch(api + "?user=" + encodeURIComponent(user) + "&after=" + lastId);
      if (res.ok) showReplies((await res.json()).replies || []);
    } catch (e) { /* offline for a moment: try again later */ }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ text: text }, text);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  poll();
  setInterval(poll, 3000);
})();
