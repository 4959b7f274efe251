  <template id="screen-feed">
    <div class="screen-head">
      <h1>Latest posts</h1>
      <p class="lede">Everything posted on Warble, newest first.</p>
    </div>
    <!-- ko if: session.loggedIn -->
    <div data-bind="template: {name: 'compose', data: compose}"></div>
    <!-- /ko -->
    <!-- ko ifnot: session.loggedIn -->
    <p class="card invite"><a href="/signup">Sign up</a> or <a href="/login">log in</a> to post and follow people.</p>
    <!-- /ko -->
    <div data-bind="template: {name: 'live-feed', data: feed}"></div>
  </template>
