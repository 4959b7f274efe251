/* Browsable API documentation: Swagger UI over /openapi.json. */
window.SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });
