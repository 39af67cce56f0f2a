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

  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  var typing = null;
  form.querySelector("#modifiers").addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(refresh, 400);
  });
})();
