  <template id="screen-search">
    <div class="screen-head">
      <h1>Search</h1>
      <p class="lede">Find people by name, or posts by their text (and author, if you like).</p>
    </div>
    <form class="card people-form" role="search" aria-label="People" novalidate data-bind="submit: findPeople">
      <div class="field">
        <label for="search-name">Name</label>
        <input id="search-name" type="search" autocomplete="off" aria-describedby="search-name-hint" data-bind="textInput: name, attr: {'aria-invalid': !!nameError, maxlength: nameMax}">
        <p id="search-name-hint" class="hint">Part of a username or display name.</p>
      </div>
      <div class="actions"><button type="submit" class="primary">Find people</button></div>
      <p class="field-error" role="alert" data-bind="visible: nameError, text: nameError"></p>
    </form>
    <form class="card search-form" role="search" aria-label="Posts" novalidate data-bind="submit: submit">
      <div class="field">
        <label for="search-text">Text</label>
        <input id="search-text" type="search" aria-describedby="search-hint" data-bind="textInput: text, attr: {'aria-invalid': !!error}">
        <p id="search-hint" class="hint">At least {{limits['search_min']}} characters.</p>
      </div>
      <div class="field">
        <label for="search-username">Author <span class="hint">(optional)</span></label>
        <input id="search-username" type="text" autocomplete="off" data-bind="textInput: username">
      </div>
      <div class="actions"><button type="submit" class="primary">Search</button></div>
      <p class="field-error" role="alert" data-bind="visible: error, text: error"></p>
    </form>
    <!-- ko if: peopleSearched -->
    <section class="results" aria-labelledby="people-title">
      <h2 id="people-title">People</h2>
      <div data-bind="template: {name: 'people-list', data: people}"></div>
    </section>
    <!-- /ko -->
    <!-- ko if: searched -->
    <section class="results" aria-labelledby="posts-title">
      <h2 id="posts-title">Posts</h2>
      <div data-bind="template: {name: 'post-list', data: posts}"></div>
    </section>
    <!-- /ko -->
  </template>
