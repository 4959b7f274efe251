  <template id="post-list">
    <p class="empty" data-bind="visible: empty, text: emptyText"></p>
    <ol class="posts" data-bind="foreach: posts">
      <li class="post card" data-bind="attr: {id: fieldId}">
        <div class="post-head">
          <a class="byline" data-bind="attr: {href: userLink}"><img class="avatar-img small" alt="" width="36" height="36" loading="lazy" data-bind="attr: {src: avatar}"><span class="author" data-bind="text: author"></span><span class="handle" data-bind="visible: handle, text: handle"></span></a>
          <span class="to" data-bind="visible: referenced">to <a data-bind="attr: {href: referencedLink}, text: '@' + referenced"></a></span>
          <!-- ko if: edited --><time class="edited" data-bind="attr: {datetime: edited, title: editedTitle}">edited</time><!-- /ko -->
          <a class="when" data-bind="attr: {href: link}"><time data-bind="attr: {datetime: timestamp, title: fullTime}, text: when"></time></a>
        </div>
        <!-- ko ifnot: editing -->
        <p class="post-text"><!-- ko foreach: parts --><!-- ko if: link --><a data-bind="attr: {href: link}, text: text"></a><!-- /ko --><!-- ko ifnot: link --><!-- ko text: text --><!-- /ko --><!-- /ko --><!-- /ko --></p>
        <p class="field-error" role="alert" data-bind="visible: errors().text, text: errors().text"></p>
        <div class="post-actions" data-bind="visible: mine">
          <!-- ko ifnot: confirming -->
          <button type="button" class="link" data-bind="click: edit">Edit</button>
          <button type="button" class="link danger" data-bind="click: askDelete">Delete</button>
          <!-- /ko -->
          <!-- ko if: confirming -->
          <span class="confirm">Delete this post?</span>
          <button type="button" class="danger" data-bind="click: destroy, disable: busy, hasFocus: true">Delete</button>
          <button type="button" data-bind="click: keep">Keep</button>
          <!-- /ko -->
        </div>
        <!-- /ko -->
        <!-- ko if: editing -->
        <form class="edit" novalidate data-bind="submit: save">
          <label data-bind="attr: {for: fieldId + '-text'}">Text</label>
          <textarea rows="3" data-bind="textInput: draft, hasFocus: true, attr: {id: fieldId + '-text', 'aria-describedby': fieldId + '-count', 'aria-invalid': !!errors().text}"></textarea>
          <p class="counter" data-bind="text: draftCounter.label, css: {over: draftCounter.over}, attr: {id: fieldId + '-count'}"></p>
          <p class="field-error" data-bind="visible: errors().text, text: errors().text"></p>
          <label data-bind="attr: {for: fieldId + '-to'}">To <span class="hint">(optional username)</span></label>
          <input type="text" autocomplete="off" data-bind="textInput: draftReferenced, attr: {id: fieldId + '-to', 'aria-invalid': !!errors().referenced}">
          <p class="field-error" data-bind="visible: errors().referenced, text: errors().referenced"></p>
          <div class="actions">
            <button type="submit" class="primary" data-bind="disable: busy">Save</button>
            <button type="button" data-bind="click: cancel">Cancel</button>
          </div>
        </form>
        <!-- /ko -->
      </li>
    </ol>
    <div data-bind="template: {name: 'pager', data: pager}"></div>
  </template>

  <template id="pager">
    <nav class="pager" aria-label="Pages" data-bind="visible: shown">
      <a rel="prev" data-bind="attr: {href: previous}, visible: previous">← Previous page</a>
      <span class="page" data-bind="text: 'Page ' + page"></span>
      <a rel="next" data-bind="attr: {href: next}, visible: next">Next page →</a>
    </nav>
  </template>

  <template id="compose">
    <form class="card compose" novalidate data-bind="submit: submit">
      <label for="compose-text">What is on your mind?</label>
      <textarea id="compose-text" rows="3" aria-describedby="compose-count" data-bind="textInput: text, attr: {'aria-invalid': !!errors().text}"></textarea>
      <p id="compose-count" class="counter" data-bind="text: counter.label, css: {over: counter.over}"></p>
      <p class="field-error" role="alert" data-bind="visible: errors().text, text: errors().text"></p>
      <label for="compose-to">To <span class="hint">(optional username)</span></label>
      <input id="compose-to" type="text" autocomplete="off" data-bind="textInput: referenced, attr: {'aria-invalid': !!errors().referenced}">
      <p class="field-error" role="alert" data-bind="visible: errors().referenced, text: errors().referenced"></p>
      <div class="actions">
        <button type="submit" class="primary" data-bind="disable: busy">Post</button>
        <span class="status" role="status" data-bind="text: status"></span>
      </div>
    </form>
  </template>
