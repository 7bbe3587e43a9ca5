// The console's small behaviours: live inbox and transcript (short polling), canned
// replies, Ctrl+Enter to send, confirmations, print. Everything works without it too,
// except the live updates.
(function () {
  "use strict";
  var POLL_MS = 3000;

  function poll(el, onData) {
    var url = el.getAttribute("data-poll");
    var busy = false;
    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 401 || r.redirected) { window.location.reload(); return null; }
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (data) { if (data) onData(data); setState(""); })
        .catch(function () { setState("接続が切れています。再接続を試みています…"); })
        .finally(function () { busy = false; });
    }
    setInterval(tick, POLL_MS);
    document.addEventListener("visibilitychange", tick);
  }

  function setState(text) {
    var s = document.getElementById("live-state");
    if (s) s.textContent = text || "自動で更新します";
  }

  // Inbox: swap the list; announce new crisis rows; crisis count in the title.
  var inbox = document.getElementById("inbox");
  if (inbox) {
    var known = {};
    inbox.querySelectorAll("[data-id]").forEach(function (li) { known[li.getAttribute("data-id")] = true; });
    var baseTitle = document.title.replace(/^（緊急 \d+）/, "");
    poll(inbox, function (data) {
      var focused = document.activeElement && document.activeElement.closest("[data-id]");
      var focusedId = focused && focused.getAttribute("data-id");
      inbox.innerHTML = data.html;
      var fresh = [];
      inbox.querySelectorAll("[data-id]").forEach(function (li) {
        var id = li.getAttribute("data-id");
        if (!known[id]) { li.classList.add("new"); if (li.classList.contains("crisis")) fresh.push(id); }
        known[id] = true;
      });
      if (focusedId) {
        var again = inbox.querySelector('[data-id="' + focusedId + '"] a');
        if (again) again.focus();
      }
      document.title = (data.crisis ? "（緊急 " + data.crisis + "）" : "") + baseTitle;
      if (fresh.length) setState("新しい緊急の相談があります");
    });
  }

  // Conversation: refresh the transcript when it changed; keep the reader's place.
  var transcript = document.getElementById("transcript");
  if (transcript) {
    var scroller = document.scrollingElement;
    transcript.lastElementChild && transcript.scrollIntoView({ block: "end" });
    var status = transcript.getAttribute("data-status");
    poll(transcript, function (data) {
      if (data.version === transcript.getAttribute("data-version")) return;
      var atEnd = scroller.scrollTop + window.innerHeight >= transcript.getBoundingClientRect().bottom + scroller.scrollTop - 40;
      transcript.innerHTML = data.html;
      transcript.setAttribute("data-version", data.version);
      if (atEnd) transcript.scrollIntoView({ block: "end" });
      if (status && data.status !== status) {
        var box = document.getElementById("reply-text");
        if (!box || !box.value) window.location.reload();
        else setState("この相談の状態が変わりました。ページを開き直してください。");
      }
    });
  }

  // Canned replies go into the reply box at the cursor.
  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-insert]");
    if (b) {
      var box = document.getElementById("reply-text");
      var text = b.getAttribute("data-insert");
      var start = box.selectionStart || 0, end = box.selectionEnd || 0;
      box.value = box.value.slice(0, start) + text + box.value.slice(end);
      box.focus();
      box.selectionStart = box.selectionEnd = start + text.length;
    }
    var p = e.target.closest("[data-print]");
    if (p) window.print();
  });

  document.addEventListener("submit", function (e) {
    var b = e.submitter || e.target.querySelector("[data-confirm]");
    var q = b && b.getAttribute("data-confirm");
    if (q && !window.confirm(q)) { e.preventDefault(); return; }
    var send = e.target.querySelector("button.primary");
    if (send) setTimeout(function () { send.disabled = true; }, 0);  // no double send
  });

  var reply = document.getElementById("reply-text");
  if (reply) {
    reply.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); reply.form.requestSubmit(); }
    });
    if (window.location.hash === "#reply") reply.focus();
  }
})();
