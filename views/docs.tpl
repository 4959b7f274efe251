<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Warble API</title>
  <link rel="icon" href="{{static}}/img/warble.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{{static}}/vendor/swagger-ui-dist/swagger-ui.css">
  <link rel="stylesheet" href="{{static}}/css/docs.css">
</head>
<body>
  <header class="docs-bar">
    <a class="docs-brand" href="/"><img src="{{static}}/img/warble.svg" alt="" width="24" height="24"> Warble</a>
    <nav aria-label="Back to the app"><a href="/">Back to the app</a></nav>
  </header>
  <main id="swagger-ui"></main>
  <script src="{{static}}/vendor/swagger-ui-dist/swagger-ui-bundle.js"></script>
  <script src="{{static}}/js/docs.js"></script>
</body>
</html>
