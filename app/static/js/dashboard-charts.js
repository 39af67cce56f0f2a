// Draws each dashboard chart from the table beside it, so the chart and the accessible table
// always show the same figures. Rows suppressed as "fewer than 3" have no count and are not drawn.
(function () {
  "use strict";
  document.querySelectorAll("canvas[data-chart-for]").forEach(function (canvas) {
    var table = document.getElementById(canvas.dataset.chartFor);
    var labels = [], values = [];
    table.querySelectorAll("tbody tr[data-count]").forEach(function (row) {
      if (row.dataset.count === "") { return; }
      labels.push(row.querySelector("th").textContent.trim().split("\n")[0]);
      values.push(Number(row.dataset.count));
    });
    if (!labels.length) { canvas.remove(); return; }
    var kind = canvas.dataset.chartKind;
    new Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels: labels, datasets: [{ label: kind === "rate" ? "Success rate (%)" : "Reports", data: values,
        backgroundColor: "#0b5cad", borderColor: "#0b5cad" }] },
      options: { indexAxis: kind === "line" ? "x" : "y", animation: false, plugins: { legend: { display: false } },
        scales: kind === "rate" ? { x: { min: 0, max: 100 } } : {} }
    });
  });
})();
