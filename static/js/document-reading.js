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
