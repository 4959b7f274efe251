<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}}</title>
  <link rel="stylesheet" href="/static/css/app.css">
</head>
<body>
  <header class="top">
    <a class="brand" href="/">Warble</a>
  </header>
  <main id="app">
    <p class="intro">MicroPosts and the Analyzer. The API is described at <a href="/docs">/docs</a>.</p>
  </main>
  <script src="/static/vendor/zepto/zepto.min.js"></script>
  <script src="/static/vendor/knockout/knockout-latest.js"></script>
  <script src="/static/js/app.js"></script>
</body>
</html>
