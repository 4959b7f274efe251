<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Warble API</title>
  <link rel="icon" href="{{static}}/img/warble.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{{static}}/vendor/swagger-ui-dist/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{{static}}/vendor/swagger-ui-dist/swagger-ui-bundle.js"></script>
  <script src="{{static}}/js/docs.js"></script>
</body>
</html>
