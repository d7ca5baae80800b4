// Trend of one indicator (value against target and path) and its spread across the units below.
(function () {
  "use strict";
  var script = document.currentScript;
  function data(id) { var node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; }
  function percent(value) { return value == null ? "—" : value.toLocaleString("vi-VN", {maximumFractionDigits: 1}) + "%"; }
  var options = {
    responsive: true, animation: false,
    scales: {y: {beginAtZero: true, suggestedMax: 100, ticks: {callback: percent}}},
    plugins: {tooltip: {callbacks: {label: function (c) { return c.dataset.label + ": " + percent(c.parsed.y != null ? c.parsed.y : c.parsed.x); }}}}
  };
  function draw() {
    var trend = data("trend-data");
    var canvas = document.getElementById("trend");
    if (trend && canvas) {
      new Chart(canvas, {type: "line", options: options, data: {labels: trend.labels, datasets: [
        {label: script.dataset.actual, data: trend.actual, borderColor: "#0072B2", backgroundColor: "#0072B2", spanGaps: true},
        {label: script.dataset.target, data: trend.target, borderColor: "#009E73", borderDash: [2, 2], pointRadius: 0},
        {label: script.dataset.path, data: trend.path, borderColor: "#E69F00", borderDash: [6, 4], spanGaps: true}
      ]}});
    }
    var spread = data("spread-data");
    var bars = document.getElementById("spread");
    if (spread && bars) {
      new Chart(bars, {type: "bar", data: {labels: spread.labels, datasets: [
        {label: script.dataset.actual, data: spread.values, backgroundColor: "#56B4E9"}]},
        options: {indexAxis: "y", animation: false, responsive: true,
                  scales: {x: {beginAtZero: true, suggestedMax: 100, ticks: {callback: percent}}},
                  plugins: {legend: {display: false}}}});
    }
  }
  if (window.Chart) draw(); else window.addEventListener("load", draw);
})();
