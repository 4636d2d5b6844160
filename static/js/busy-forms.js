// Forms marked data-busy-text (the registry import's upload and preview pages).
// A list of thousands of rows takes a few seconds: say so, and keep a second click away.
document.querySelectorAll("form[data-busy-text]").forEach(function (form) {
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.dataset.label = button.textContent;
      button.disabled = true;
      button.textContent = form.dataset.busyText;
    }
  });
});
// Back from the next page (the browser's page cache): the button works again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-busy-text] button[data-label]").forEach(function (b) {
    b.disabled = false;
    b.textContent = b.dataset.label;
  });
});
