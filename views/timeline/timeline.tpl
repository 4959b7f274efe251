  <template id="screen-timeline">
    <div class="screen-head">
      <h1>Timeline</h1>
      <p class="lede">Your posts and those of the people you follow, newest first.</p>
    </div>
    <div data-bind="template: {name: 'compose', data: compose}"></div>
    <div data-bind="template: {name: 'live-feed', data: feed}"></div>
  </template>
