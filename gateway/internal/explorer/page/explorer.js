// Starts Swagger UI on the gateway's own OpenAPI document. Kept out of the
// page so that the Content-Security-Policy allows no inline script.
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    domNode: root,
    deepLinking: true,
    persistAuthorization: true, // the API key survives a reload, in this browser only
    displayRequestDuration: true,
    filter: true,
    tryItOutEnabled: false,
    validatorUrl: null, // the default badge would call a public validator
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
