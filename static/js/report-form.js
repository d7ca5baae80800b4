// The monthly form: percentages as the clerk types, a copy of unsaved input in the browser, one submit per click.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) return;
  var key = form.dataset.storageKey;
  var version = form.dataset.version;

  function parseCount(text) {
    text = (text || "").replace(/[\s\u00a0]/g, "");
    if (text === "") return null;
    if (/^\d{1,3}(\.\d{3})+$/.test(text)) text = text.replace(/\./g, "");
    return /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  }

  function formatPercent(value) {
    var rounded = Math.round(value * 10) / 10;
    var parts = rounded.toFixed(1).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (parts[1] === "0" ? whole : whole + "," + parts[1]) + "%";
  }

  function update(row) {
    var numerator = row.querySelector("input[name$='-numerator']");
    var denominator = row.querySelector("input[name$='-denominator']");
    var cell = row.querySelector(".percent");
    if (!numerator || !denominator || !cell) return;
    var top = parseCount(numerator.value), bottom = parseCount(denominator.value);
    cell.textContent = (top === null || !bottom || isNaN(top) || isNaN(bottom)) ? "" : formatPercent(top * 100 / bottom);
  }

  function snapshot() {
    var data = {};
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (field) {
      // A chosen file cannot be kept or put back by a script: only typed figures are.
      if (field.name !== "csrfmiddlewaretoken" && field.type !== "hidden" && field.type !== "file") {
        data[field.name] = field.value;
      }
    });
    return data;
  }

  // "12/40 indicators entered": an indicator counts once both its counts (or its done / not done) are filled.
  var progress = document.getElementById("progress");
  function entered(row) {
    var fields = row.querySelectorAll("input.count, select");
    if (!fields.length) return false;
    return Array.prototype.every.call(fields, function (field) { return field.value.trim() !== ""; });
  }
  function count() {
    if (!progress) return;
    var done = Array.prototype.filter.call(rows, entered).length;
    progress.textContent = progress.textContent.replace(/^\s*\d+/, String(done));
  }

  var rows = form.querySelectorAll(".indicator-row");
  rows.forEach(update);
  form.addEventListener("input", function (event) {
    var row = event.target.closest(".indicator-row");
    if (row) update(row);
    count();
    try {
      localStorage.setItem(key, JSON.stringify({version: version, savedAt: Date.now(), data: snapshot()}));
    } catch (e) { /* storage full or disabled: the server-side draft still protects the clerk */ }
  });

  // Unsaved input from an earlier visit of the same report version: offer it back rather than discard it.
  try {
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    var current = snapshot();
    var differs = kept && kept.version === version && Object.keys(kept.data).some(function (name) {
      return current[name] !== undefined && current[name] !== kept.data[name];
    });
    if (differs) {
      var banner = document.createElement("div");
      banner.className = "notice restore";
      banner.setAttribute("role", "alert");
      banner.innerHTML = form.dataset.restoreText || "";
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = form.dataset.restoreButton || "Khôi phục";
      button.addEventListener("click", function () {
        Object.keys(kept.data).forEach(function (name) {
          var field = form.elements[name];
          if (field) field.value = kept.data[name];
        });
        rows.forEach(update);
        count();
        banner.remove();
      });
      banner.appendChild(button);
      form.parentNode.insertBefore(banner, form);
    } else if (kept && kept.version !== version) {
      localStorage.removeItem(key);
    }
  } catch (e) { /* unreadable copy: ignore it */ }

  // After a refused save the page opens on the summary of what to fix, read out by screen readers.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    // Keep the clicked button's name in the post once the buttons are disabled.
    var clicked = event.submitter;
    if (clicked && clicked.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = clicked.name; hidden.value = clicked.value;
      form.appendChild(hidden);
    }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
})();
