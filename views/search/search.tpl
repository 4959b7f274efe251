  <template id="screen-search">
    <div class="screen-head">
      <h1>Search</h1>
      <p class="lede">Find posts by their text, and by author if you like.</p>
    </div>
    <form class="card search-form" role="search" novalidate data-bind="submit: submit">
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
    <!-- ko if: searched -->
    <div data-bind="template: {name: 'post-list', data: posts}"></div>
    <!-- /ko -->
  </template>
