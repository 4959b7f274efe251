  <template id="screen-post">
    <div class="screen-head">
      <h1>A post by <a data-bind="attr: {href: userLink}, text: username"></a></h1>
    </div>
    <div class="single" data-bind="template: {name: 'post-list', data: posts}"></div>
    <p><a data-bind="attr: {href: userLink}, text: 'More from ' + username + ' →'"></a></p>
  </template>
