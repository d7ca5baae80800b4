// The document path: a passage selected in the document is copied into the field that asks for it to be read, and
// the candidates of a passage just read are brought into view.
(function () {
  "use strict";
  var source = document.getElementById("document-source");
  var field = document.getElementById("id_passage_new");
  if (source && field) {
    document.addEventListener("selectionchange", function () {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) return;
      var range = selection.getRangeAt(0);
      if (!source.contains(range.commonAncestorContainer)) return;
      // The clause numbers the page adds after each marked sentence are not the document's words.
      var copy = range.cloneContents();
      copy.querySelectorAll("sup").forEach(function (mark) { mark.remove(); });
      var text = copy.textContent.trim();
      if (text) field.value = text;
    });
  }
  var fresh = document.querySelector(".candidate.fresh");
  if (fresh) {
    fresh.scrollIntoView({block: "start"});
    var first = fresh.querySelector("input, select, textarea");
    if (first) first.focus({preventScroll: true});
    // Its sentence in the document, brought into view inside the document's own scrolling box.
    var mark = source && document.getElementById("clause-" + fresh.id.replace("candidate-", ""));
    if (mark) source.scrollTop = mark.offsetTop - source.offsetTop - source.clientHeight / 3;
  }
})();

// Each candidate shows the fields of its kind: a target's indicator and values, a task's units, output and recurrence.
(function () {
  "use strict";
  var only = {
    target: ["indicator", "comparator", "value", "value_max"],
    task: ["lead_text", "cooperating_text", "expected_output", "recurrence", "due_written"]
  };
  document.querySelectorAll("fieldset.candidate").forEach(function (candidate) {
    var kind = candidate.querySelector("select[name$='-kind']");
    if (!kind) return;
    function show() {
      Object.keys(only).forEach(function (owner) {
        only[owner].forEach(function (name) {
          var input = candidate.querySelector("[name$='-" + name + "']");
          var field = input && input.closest(".field");
          if (field) field.hidden = owner !== kind.value;
        });
      });
    }
    kind.addEventListener("change", show);
    show();
  });
})();

// Accepting all or none at once: a long appendix gives hundreds of candidates, of which the author may keep a few.
(function () {
  "use strict";
  var bar = document.querySelector(".bulk-accept");
  if (!bar) return;
  bar.hidden = false;
  bar.addEventListener("click", function (event) {
    var choice = event.target.getAttribute("data-accept");
    if (!choice) return;
    document.querySelectorAll("fieldset.candidate input[name$='-accept']").forEach(function (box) {
      box.checked = choice === "all";
    });
  });
})();
