  <template id="people-list">
    <p class="empty" data-bind="visible: empty, text: emptyText"></p>
    <ul class="people" data-bind="foreach: people">
      <li class="card person">
        <img class="avatar-img" alt="" width="44" height="44" loading="lazy" data-bind="attr: {src: avatar}">
        <div class="person-text">
          <a data-bind="attr: {href: link}"><span class="person-name" data-bind="visible: displayName, text: displayName"></span> <span class="person-username" data-bind="text: shownUsername, css: {handle: displayName}"></span></a>
          <p class="person-bio" data-bind="visible: bio, text: bio"></p>
        </div>
      </li>
    </ul>
    <div data-bind="template: {name: 'pager', data: pager}"></div>
  </template>
