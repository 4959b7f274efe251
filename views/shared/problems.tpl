  <template id="screen-missing">
    <h1>Not found</h1>
    <p class="card notice" data-bind="text: message"></p>
    <p><a class="back" data-bind="attr: {href: back.link}, text: back.text"></a></p>
  </template>

  <template id="screen-problem">
    <h1>Something went wrong</h1>
    <p class="card notice error" role="alert" data-bind="text: message"></p>
    <p>Try again in a moment. <a class="back" data-bind="attr: {href: back.link}, text: back.text"></a></p>
  </template>

  <template id="screen-analyzer-closed">
    <h1>The Analyzer is open to analysts</h1>
    <div class="card notice" role="alert">
      <p data-bind="text: message"></p>
      <p>An administrator of this Warble gives the role with <code data-bind="text: command"></code>; ask one for it.</p>
      <p data-bind="visible: !loggedIn"><a data-bind="attr: {href: loginLink}">Log in</a></p>
    </div>
    <p><a href="/">Back to the latest posts</a></p>
  </template>
