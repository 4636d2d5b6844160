// The participant form (templates/registry/participant_form.html).
// Show only the chosen category's fields (the form marks them with data-categories),
// and the form lists of the roles that are ticked. The server drops hidden values.
(() => {
  const category = document.getElementById("id_category");
  const boxes = { mentor: document.getElementById("id_is_mentor"), mentee: document.getElementById("id_is_mentee") };
  const sync = () => {
    document.querySelectorAll("[data-categories]").forEach((input) => {
      const wrapper = input.closest("[data-field]");
      if (wrapper) wrapper.hidden = !input.dataset.categories.split(" ").includes(category.value);
    });
    Object.entries(boxes).forEach(([role, box]) => {
      document.querySelector(`[data-role="${role}"]`).hidden = !box.checked;
    });
  };
  category.addEventListener("change", sync);
  Object.values(boxes).forEach((box) => box.addEventListener("change", sync));
  sync();
})();
