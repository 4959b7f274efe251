  <template id="screen-notifications">
    <div class="screen-head">
      <h1>Notifications</h1>
      <p class="lede">Posts that name you and people who follow you, newest first.</p>
    </div>
    <p class="field-error" role="alert" data-bind="visible: error, text: error"></p>
    <p class="empty" data-bind="visible: empty">Nothing yet. When someone names you in a post or follows you, you will see it here.</p>
    <ol class="notices" data-bind="foreach: items">
      <li class="notice-item card" data-bind="css: {unread: isNew, mention: mention}">
        <div class="notice-head">
          <!-- ko if: isNew --><span class="new-tag">New</span><!-- /ko -->
          <span><a class="author" data-bind="attr: {href: actorLink}, text: actor"></a> <span data-bind="text: what"></span></span>
          <time class="when" data-bind="attr: {datetime: created, title: fullTime}, text: when"></time>
        </div>
        <!-- ko if: post -->
        <a class="notice-post" data-bind="attr: {href: post.link}"><span class="post-text" data-bind="text: post.text"></span></a>
        <!-- /ko -->
      </li>
    </ol>
    <p class="more" data-bind="visible: olderLink"><button type="button" data-bind="click: showOlder, disable: busy">Older notifications</button></p>
  </template>
