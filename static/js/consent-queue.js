// The consent queue (templates/registry/consent_queue.html): tick all, and how many are ticked.
(function () {
  var boxes = function () { return document.querySelectorAll(".row-check"); };
  var counter = document.getElementById("ticked-count");
  var update = function () {
    if (!counter) return;
    var n = Array.prototype.filter.call(boxes(), function (b) { return b.checked; }).length;
    counter.textContent = n ? counter.dataset.template.replace("N", n) : "";
  };
  var all = document.getElementById("check-all");
  if (all) {
    all.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = all.checked; });
      update();
    });
  }
  boxes().forEach(function (b) { b.addEventListener("change", update); });
  // Choosing a row's scan ticks the row: the scan is of someone whose form came back.
  document.querySelectorAll("input[type=file][name^=scan_]").forEach(function (input) {
    input.addEventListener("change", function () {
      var box = document.getElementById("tick-" + input.name.slice(5));
      if (box && input.files.length) { box.checked = true; update(); }
    });
  });
  update();
})();
