// Small behaviours declared in the markup, so that no page needs an inline script or an
// on…= handler (the Content-Security-Policy allows our own static files only):
//   <form data-confirm="Удалить?">  asks before submitting;
//   <button data-print>             prints the page;
//   <form data-inert>               never submits (a preview of a form).
(() => {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.matches("form[data-inert]")) {
      event.preventDefault();
      return;
    }
    if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
