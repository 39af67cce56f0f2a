// Redraws the payment estimate when the locality, year or modifiers change, without a reload.
// The server renders the same fragment for the no-JavaScript form submit.
(function () {
  "use strict";
  var form = document.getElementById("estimator");
  if (!form) { return; }
  var pending = null;

  function refresh() {
    var query = new URLSearchParams(new FormData(form)).toString();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(form.dataset.fragment + "?" + query, { signal: pending.signal, headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#estimates");
        if (fresh) { document.getElementById("estimates").replaceWith(fresh); }
        history.replaceState(null, "", "?" + query + "#payment");
      })
      .catch(function (error) { if (error.name !== "AbortError") { console.error(error); } });
  }

  // A ZIP and a locality are two ways to say the same thing: choosing one clears the other.
  var zip = form.querySelector("#zip"), locality = form.querySelector("#locality");
  if (zip && locality) {
    zip.addEventListener("change", function () { if (zip.value) { locality.value = ""; } });
    locality.addEventListener("change", function () { zip.value = ""; });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  var typing = null;
  form.querySelector("#modifiers").addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(refresh, 400);
  });
})();
