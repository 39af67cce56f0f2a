// Draws each dashboard chart from the table beside it, so the chart and the accessible table
// always show the same figures. A suppressed row keeps its place with no bar or point and says so
// in its label ("fewer than 3", from the canvas's data-suppressed-label, which the server sets from
// app/dashboards/disclosure.py): dropping it would hide that the month or reason exists.
(function () {
  "use strict";
  var LABEL_CHARACTERS = 28;

  function shortLabel(label) {
    return label.length > LABEL_CHARACTERS ? label.slice(0, LABEL_CHARACTERS - 1) + "…" : label;
  }

  document.querySelectorAll("canvas[data-chart-for]").forEach(function (canvas) {
    var table = document.getElementById(canvas.dataset.chartFor);
    var kind = canvas.dataset.chartKind;
    var suppressedLabel = canvas.dataset.suppressedLabel;
    var labels = [], values = [], drawn = 0;
    table.querySelectorAll("tbody tr[data-count]").forEach(function (row) {
      var label = row.dataset.label || row.querySelector("th").textContent.trim().split("\n")[0];
      var suppressed = row.dataset.count === "";
      // A strategy without a rate is "not enough results", not a suppressed count.
      labels.push(suppressed ? label + (kind === "rate" ? " (not enough results)" : " (" + suppressedLabel + ")") : label);
      values.push(suppressed ? null : Number(row.dataset.count));
      drawn += suppressed ? 0 : 1;
    });
    if (!drawn) { canvas.remove(); return; }
    var horizontal = kind !== "line";
    var valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
    if (kind === "rate") { valueAxis = { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } }; }
    var labelAxis = { ticks: { autoSkip: false, callback: function (value) { return shortLabel(this.getLabelForValue(value)); } } };
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: labels, datasets: [{ label: kind === "rate" ? "Success rate (%)" : "Reports", data: values,
        backgroundColor: "#0b5cad", borderColor: "#0b5cad", spanGaps: false, pointRadius: 4 }] },
      options: {
        indexAxis: horizontal ? "y" : "x", animation: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          label: function (context) { return context.raw === null ? suppressedLabel : String(context.raw); } } } },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis }
      }
    });
  });
})();
