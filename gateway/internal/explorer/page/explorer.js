// Starts Swagger UI on the gateway's own OpenAPI document. Kept out of the
// page so that the Content-Security-Policy allows no inline script.
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    deepLinking: true,
    // The API key lives in the page's memory only: Swagger UI would persist it
    // in localStorage, readable by every page of the gateway's origin and
    // kept on a shared terminal after the browser closes.
    persistAuthorization: false,
    displayRequestDuration: true,
    filter: true,
    tryItOutEnabled: false,
    validatorUrl: null, // the default badge would call a public validator
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
