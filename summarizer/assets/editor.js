// The editor's page: gathers the articles and links, posts them to /v1/summaries, shows progress,
// then the summary page (the one `run --format html` writes) in a sandboxed frame, or the error.
"use strict";
(function () {
  const form = document.getElementById("form");
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  const go = document.getElementById("go");
  let tokenRequired = false;

  fetch("/v1/version").then((r) => r.json()).then((v) => {
    tokenRequired = Boolean(v.token_required);
    document.getElementById("token-row").hidden = !tokenRequired;
  }).catch(() => {});

  document.getElementById("add").addEventListener("click", () => {
    const box = document.getElementById("articles");
    const n = box.querySelectorAll("textarea").length + 1;
    const label = document.createElement("label");
    label.htmlFor = "article-" + n;
    label.textContent = "Article " + n;
    const area = document.createElement("textarea");
    area.id = "article-" + n;
    area.className = "article";
    area.rows = 7;
    box.append(label, area);
    area.focus();
  });

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const links = document.getElementById("links").value.split("\n").map((l) => l.trim()).filter(Boolean);
    const texts = [...document.querySelectorAll("textarea.article")].map((a) => a.value.trim()).filter(Boolean);
    const documents = links.concat(texts);
    if (documents.length < 2) {
      showError("Give at least two articles or links on the same story.");
      return;
    }
    const config = {};
    const words = document.getElementById("length").value;
    if (words) config.retrieve = { summary_words: Number(words), length_ratio: 0 };
    if (document.getElementById("quick").checked) config.fuse = { backend: "extractive" };
    const headers = { "Content-Type": "application/json" };
    if (tokenRequired) headers.Authorization = "Bearer " + document.getElementById("token").value;
    const started = Date.now();
    const tick = () => {
      const seconds = Math.round((Date.now() - started) / 1000);
      status.textContent = "Working… " + seconds + " s";
      fetch("/healthz").then((r) => r.json()).then((h) => {
        if (h.queued > 0) status.textContent = "Working… " + seconds + " s (" + h.queued + " request(s) ahead or beside)";
      }).catch(() => {});
    };
    tick();
    const timer = setInterval(tick, 1000);
    go.disabled = true;
    try {
      const answer = await fetch("/v1/summaries?format=html", {
        method: "POST", headers, body: JSON.stringify({ documents, config }),
      });
      if (!answer.ok) {
        let message = "The server answered " + answer.status + ".";
        try { message = (await answer.json()).error || message; } catch (_) { /* not JSON */ }
        if (answer.status === 503) message += " Try again in a few seconds.";
        showError(message);
        status.textContent = "";
        return;
      }
      // A blob: address, not srcdoc: the page's "#sentence" links then stay inside it (in a srcdoc
      // frame they resolve against this page's address and leave it).
      const page = document.getElementById("page");
      const previous = page.src;
      page.src = URL.createObjectURL(new Blob([await answer.text()], { type: "text/html" }));
      if (previous.startsWith("blob:")) URL.revokeObjectURL(previous);
      document.getElementById("result").hidden = false;
      status.textContent = "Done in " + ((Date.now() - started) / 1000).toFixed(1) + " s.";
    } catch (failure) {
      showError("The server could not be reached (" + failure.message + "). Is it still running?");
      status.textContent = "";
    } finally {
      clearInterval(timer);
      go.disabled = false;
    }
  });
})();
