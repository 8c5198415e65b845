// Copy buttons of the widgets' embed code (templates/benchmarking/partials/embed_code.html).
// Without JavaScript the buttons stay hidden and the code is a read-only textarea to select
// and copy. Texts come from the template (data-copied, data-failed), in the page's language.
(function () {
  function status(button) {
    return button.parentElement.querySelector(".copy-status");
  }

  function say(button, key) {
    const box = status(button);
    if (!box) return;
    box.textContent = box.dataset[key] || "";
    box.classList.toggle("is-done", key === "copied");
  }

  function fallback(area) {
    area.focus();
    area.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(button) {
    const area = document.getElementById(button.dataset.copy);
    if (!area) return;
    const text = area.value;
    const done = () => say(button, "copied");
    const failed = () => say(button, fallback(area) ? "copied" : "failed");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  function setUp(root) {
    const scope = root && root.querySelectorAll ? root : document;
    for (const button of scope.querySelectorAll("button.copy-button[data-copy]")) {
      if (button.dataset.ready) continue;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", () => copy(button));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => setUp(document));
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", (event) => setUp(event.target));
})();
