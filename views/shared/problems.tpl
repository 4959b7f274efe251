  <template id="screen-missing">
    <h1>Not found</h1>
    <p class="card notice" data-bind="text: message"></p>
    <p><a href="/">Back to the latest posts</a></p>
  </template>

  <template id="screen-problem">
    <h1>Something went wrong</h1>
    <p class="card notice error" role="alert" data-bind="text: message"></p>
    <p>Try again in a moment, or go <a href="/">back to the latest posts</a>.</p>
  </template>
