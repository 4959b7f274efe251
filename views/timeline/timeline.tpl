  <template id="screen-timeline">
    <div class="screen-head">
      <h1>Timeline</h1>
      <p class="lede">Posts of the people you follow, oldest first.</p>
    </div>
    <div data-bind="template: {name: 'post-list', data: posts}"></div>
  </template>
