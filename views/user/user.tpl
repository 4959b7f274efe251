  <template id="screen-user">
    <div class="screen-head profile">
      <img class="avatar-img large" alt="" width="96" height="96" data-bind="attr: {src: avatar}">
      <div class="who">
        <h1 data-bind="text: heading"></h1>
        <p class="handle" data-bind="visible: handle, text: handle"></p>
        <p class="bio" data-bind="visible: bio, text: bio"></p>
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
        <button type="button" class="edit-profile" aria-controls="profile-edit" data-bind="click: toggleEditing, attr: {'aria-expanded': editing}">Edit profile</button>
        <label class="check"><input type="checkbox" data-bind="checked: notifyMentions, disable: settingBusy"> E-mail me when a post names me</label>
        <p class="hint"><a href="/export">Export my posts</a></p>
        <p class="field-error" role="alert" data-bind="visible: settingError, text: settingError"></p>
      </div>
      <!-- /ko -->
    </div>
    <!-- ko if: mine -->
    <section id="profile-edit" class="card profile-edit" aria-labelledby="profile-edit-title" data-bind="visible: editing, with: profile">
      <h2 id="profile-edit-title">Your profile</h2>
      <form novalidate data-bind="submit: save">
        <div class="field">
          <label for="profile-name">Display name <span class="hint">(optional)</span></label>
          <input id="profile-name" type="text" autocomplete="name" aria-describedby="profile-name-count" data-bind="textInput: displayName, attr: {'aria-invalid': !!errors().display_name}">
          <p id="profile-name-count" class="counter" data-bind="text: nameLeft.label, css: {over: nameLeft.over}"></p>
          <p class="field-error" role="alert" data-bind="visible: errors().display_name, text: errors().display_name"></p>
        </div>
        <div class="field">
          <label for="profile-bio">About you <span class="hint">(optional)</span></label>
          <textarea id="profile-bio" rows="3" aria-describedby="profile-bio-count" data-bind="textInput: bio, attr: {'aria-invalid': !!errors().bio}"></textarea>
          <p id="profile-bio-count" class="counter" data-bind="text: bioLeft.label, css: {over: bioLeft.over}"></p>
          <p class="field-error" role="alert" data-bind="visible: errors().bio, text: errors().bio"></p>
        </div>
        <div class="actions">
          <button type="submit" class="primary" data-bind="disable: busy">Save profile</button>
          <span class="status" role="status" data-bind="text: status"></span>
        </div>
      </form>
      <div class="field picture">
        <label for="profile-picture">Picture</label>
        <input id="profile-picture" type="file" aria-describedby="profile-picture-hint" data-bind="attr: {accept: accept}, event: {change: pick}, disable: pictureBusy">
        <p id="profile-picture-hint" class="hint" data-bind="text: pictureHint"></p>
        <p class="field-error" role="alert" data-bind="visible: pictureError, text: pictureError"></p>
        <div class="actions">
          <button type="button" class="danger-outline" data-bind="visible: hasPicture, click: removePicture, disable: pictureBusy">Remove picture</button>
          <span class="status" role="status" data-bind="text: pictureStatus"></span>
        </div>
      </div>
    </section>
    <!-- /ko -->
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
    <div data-bind="template: {name: 'people-list', data: people}"></div>
    <!-- /ko -->
  </template>
