// Starts Swagger UI on the app's own OpenAPI document; no asset comes from outside.
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  SwaggerUIBundle({ url: holder.dataset.spec, domNode: holder, deepLinking: true });
})();
