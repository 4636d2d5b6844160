// The consent form on a participant's page (templates/registry/participant_detail.html).
// The consent form: a parent's name only when a parent or guardian signs, and a warning
// when a minor is recorded as signing personally (kept, but not valid).
(() => {
  const form = document.getElementById("consent-record");
  if (!form) return;
  const minor = form.dataset.minor === "1";
  const sync = () => {
    const who = form.querySelector("input[name=given_by]:checked")?.value;
    form.querySelectorAll("[data-field=giver_name], [data-field=giver_relation]").forEach((el) => { el.hidden = who === "self"; });
    document.getElementById("minor-self-warning").hidden = !(minor && who === "self");
  };
  form.addEventListener("change", sync);
  sync();
})();
