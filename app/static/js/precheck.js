// "Add a line" without a round trip: clone the last claim line with the next index.
// Without JavaScript the button posts the form and the server adds the line.
(function () {
  "use strict";
  var button = document.getElementById("add-line");
  var body = document.getElementById("claim-lines");
  if (!button || !body) { return; }
  button.addEventListener("click", function (event) {
    var rows = body.querySelectorAll("tr.claim-line");
    if (rows.length >= 50) { return; }
    event.preventDefault();
    var next = rows.length;
    var row = rows[rows.length - 1].cloneNode(true);
    row.querySelector("th").textContent = String(next + 1);
    row.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(/lines-\d+-/, "lines-" + next + "-");
      input.id = input.id.replace(/lines-\d+-/, "lines-" + next + "-");
      var label = input.getAttribute("aria-label");
      if (label) { input.setAttribute("aria-label", label.replace(/Line \d+/, "Line " + (next + 1))); }
      input.value = input.name.slice(-5) === "units" ? "1" : "";
    });
    body.appendChild(row);
    row.querySelector("input").focus();
  });
}());
