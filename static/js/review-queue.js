// The review queue: a "choose all" box over the reports' boxes. Without JavaScript it stays hidden and each
// report is ticked on its own.
(function () {
  "use strict";
  var form = document.querySelector("form.queue-form");
  var all = form && form.querySelector("input.pick-all");
  if (!all) { return; }
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=report]"));
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      var ticked = boxes.filter(function (b) { return b.checked; }).length;
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
  });
})();
