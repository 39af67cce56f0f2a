// Patient details go from the inputs into the letter on this page only. The inputs have no name
// and sit outside every form, and nothing here sends them anywhere: printing or saving the page
// as PDF is done by the browser.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-blank-input]");
  function fill(input) {
    var key = input.getAttribute("data-blank-input");
    var label = input.labels && input.labels.length ? input.labels[0].textContent : key;
    document.querySelectorAll('[data-blank="' + key + '"]').forEach(function (span) {
      span.textContent = input.value.trim() || "[" + label + "]";
      span.classList.toggle("filled", input.value.trim() !== "");
    });
  }
  inputs.forEach(function (input) {
    input.addEventListener("input", function () { fill(input); });
  });
  var dates = document.querySelectorAll('[data-blank="letter_date"]');
  var today = new Date().toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
  dates.forEach(function (span) { span.textContent = today; span.classList.add("filled"); });
  var print = document.getElementById("print-letter");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
}());
