<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}}</title>
  <link rel="icon" href="{{static}}/img/warble.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{{static}}/css/app.css">
  <link rel="stylesheet" href="{{static}}/css/notices.css">
</head>
<body data-limits="{{limits_json}}">
  <a class="skip" href="#main">Skip to content</a>
  <header class="top" data-session="loading" data-bind="attr: {'data-session': session.state}">
    <div class="bar">
      <a class="brand" href="/"><img src="{{static}}/img/warble.svg" alt="" width="28" height="28"> {{title}}</a>
      <ul class="nav bell when-in">
        <li><a class="notices-link" href="/notifications" data-bind="attr: {'aria-current': current().notifications, 'aria-label': unread.label, title: unread.label}"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"/></svg><span class="badge" data-bind="visible: unread.count, text: unread.shown"></span></a></li>
      </ul>
      <button type="button" class="menu-button" aria-controls="main-nav" aria-expanded="false" data-bind="attr: {'aria-expanded': menuExpanded}, click: toggleMenu"><span class="menu-icon" aria-hidden="true"></span>Menu</button>
      <nav id="main-nav" aria-label="Main" data-bind="css: {open: menuOpen}">
        <ul class="nav">
          <li><a href="/" data-bind="attr: {'aria-current': current().feed}">Feed</a></li>
          <li class="when-in"><a href="/timeline" data-bind="attr: {'aria-current': current().timeline}">Timeline</a></li>
          <li><a href="/search" data-bind="attr: {'aria-current': current().search}">Search</a></li>
          <li><a href="/stats" data-bind="attr: {'aria-current': current().stats}">Statistics</a></li>
          <li><a href="/analyzer" data-bind="attr: {'aria-current': current().analyzer}">Analyzer</a></li>
        </ul>
        <p class="nav account session-pending" role="status"><span class="placeholder"></span><span class="placeholder"></span><span class="visually-hidden">Checking whether you are logged in…</span></p>
        <ul class="nav account when-out">
          <li><a href="/login" data-bind="attr: {'aria-current': current().login}">Log in</a></li>
          <li><a class="button" href="/signup" data-bind="attr: {'aria-current': current().signup}">Sign up</a></li>
        </ul>
        <ul class="nav account when-in">
          <li><a class="me" data-bind="attr: {href: myPage, 'aria-current': current().me}, text: session.username"></a></li>
          <li><a href="/settings" data-bind="attr: {'aria-current': current().settings}">Settings</a></li>
          <li><button type="button" class="link" data-bind="click: logOut">Log out</button></li>
        </ul>
      </nav>
    </div>
  </header>

  <main id="main" tabindex="-1" data-bind="attr: {'data-screen': name, 'aria-busy': busy}">
    <div data-bind="template: {name: template, data: screen}"></div>
    <noscript><p class="notice">Warble needs JavaScript to show its screens. The API is described at <a href="/docs">/docs</a>.</p></noscript>
  </main>

  <footer class="foot">
    <p>Warble · MicroPosts and the Analyzer · <a href="/docs">API documentation</a></p>
  </footer>

  <template id="screen-loading"><p class="loading" role="status">Loading…</p></template>
% for partial in ('shared/posts', 'shared/people', 'shared/live', 'shared/problems', 'feed/feed', 'account/login', 'account/signup',
%                 'account/settings', 'account/recovery',
%                 'user/user', 'user/post', 'timeline/timeline', 'search/search', 'stats/stats',
%                 'analyzer/imports', 'analyzer/import', 'analyzer/citizen'):
  % include(partial)
% end
% include('notices/notifications')
% include('notices/export')

  <script src="{{static}}/vendor/zepto/zepto.min.js"></script>
  <script src="{{static}}/vendor/knockout/knockout-latest.js"></script>
  <script src="{{static}}/vendor/knockout-secure-binding/knockout-secure-binding.min.js"></script>
  <script src="{{static}}/vendor/chart.js/chart.umd.min.js"></script>
  <script type="module" src="{{static}}/js/app.js"></script>
</body>
</html>
