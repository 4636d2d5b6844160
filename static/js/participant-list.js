// The registry list's bulk actions (templates/registry/participant_list.html).
// "Tick all" only ticks the rows of this page: bulk actions never reach unseen people.
document.getElementById("check-all")?.addEventListener("change", (event) => {
  document.querySelectorAll(".row-check").forEach((box) => { box.checked = event.target.checked; });
});
// The form picker matters only for "add a form".
const action = document.getElementById("bulk-action");
const picker = document.getElementById("bulk-mform");
const sync = () => { if (picker) picker.hidden = action.value !== "add_form"; };
action?.addEventListener("change", sync);
if (action) sync();
