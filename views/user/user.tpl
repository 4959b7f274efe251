  <template id="screen-user">
    <div class="screen-head profile">
      <div class="avatar" aria-hidden="true" data-bind="text: initial"></div>
      <div>
        <h1 data-bind="text: username"></h1>
        <p class="lede" data-bind="text: joined"></p>
        <p class="counts" data-bind="visible: counts"><span class="posts-count" data-bind="text: postsCount"></span><span class="followers-count" data-bind="text: followersCount"></span><span class="following-count" data-bind="text: followingCount"></span></p>
      </div>
      <!-- ko if: canFollow -->
      <div class="follow">
        <button type="button" data-bind="click: toggleFollow, disable: followBusy, text: followLabel, css: {primary: !following}, attr: {'aria-pressed': following}"></button>
        <p class="field-error" role="alert" data-bind="visible: followError, text: followError"></p>
      </div>
      <!-- /ko -->
      <!-- ko if: mine -->
      <div class="follow">
        <label class="check"><input type="checkbox" data-bind="checked: notifyMentions, disable: settingBusy"> E-mail me when a post names me</label>
        <p class="hint"><a href="/export">Export my posts</a></p>
        <p class="field-error" role="alert" data-bind="visible: settingError, text: settingError"></p>
      </div>
      <!-- /ko -->
    </div>
    <nav class="tabs" aria-label="Profile">
      <ul data-bind="foreach: tabs">
        <li><a data-bind="attr: {href: link, 'aria-current': current}, text: label"></a></li>
      </ul>
    </nav>
    <!-- ko if: tab == 'posts' -->
    <!-- ko if: mine -->
    <div data-bind="template: {name: 'compose', data: compose}"></div>
    <!-- /ko -->
    <div data-bind="template: {name: 'post-list', data: posts}"></div>
    <!-- /ko -->
    <!-- ko ifnot: tab == 'posts' -->
    <p class="empty" data-bind="visible: noPeople, text: noPeopleText"></p>
    <ul class="people" data-bind="foreach: people">
      <li class="card"><a data-bind="attr: {href: link}, text: username"></a></li>
    </ul>
    <div data-bind="template: {name: 'pager', data: peoplePager}"></div>
    <!-- /ko -->
  </template>
