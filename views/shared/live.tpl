  <template id="live-feed">
    <button type="button" class="new-posts" data-bind="visible: waiting().length, click: showNewer, disable: busy, text: barText"></button>
    <div data-bind="template: {name: 'post-list', data: list}"></div>
    <div class="more">
      <button type="button" data-bind="visible: olderLink, click: showOlder, disable: busy">Older posts</button>
    </div>
  </template>
