  <template id="screen-citizen">
    <div class="screen-head">
      <p class="crumbs"><a href="/analyzer">Analyzer</a> › <a data-bind="attr: {href: importLink}, text: importLabel"></a> ›</p>
      <h1 data-bind="text: heading"></h1>
      <p class="lede" data-bind="text: title"></p>
    </div>
    <form class="card citizen" novalidate data-bind="submit: save">
      <div class="grid">
        <div class="field wide">
          <label for="citizen-name">Name</label>
          <input id="citizen-name" type="text" data-bind="textInput: fields.name, attr: {'aria-invalid': !!errors().name}">
          <p class="field-error" data-bind="visible: errors().name, text: errors().name"></p>
        </div>
        <div class="field">
          <label for="citizen-birth-date">Birth date <span class="hint">(DD.MM.YYYY)</span></label>
          <input id="citizen-birth-date" type="text" inputmode="numeric" data-bind="textInput: fields.birth_date, attr: {'aria-invalid': !!errors().birth_date}">
          <p class="field-error" data-bind="visible: errors().birth_date, text: errors().birth_date"></p>
        </div>
        <div class="field">
          <label for="citizen-gender">Gender</label>
          <select id="citizen-gender" data-bind="value: fields.gender">
            <option value="female">female</option>
            <option value="male">male</option>
          </select>
          <p class="field-error" data-bind="visible: errors().gender, text: errors().gender"></p>
        </div>
        <div class="field">
          <label for="citizen-town">Town</label>
          <input id="citizen-town" type="text" data-bind="textInput: fields.town, attr: {'aria-invalid': !!errors().town}">
          <p class="field-error" data-bind="visible: errors().town, text: errors().town"></p>
        </div>
        <div class="field">
          <label for="citizen-street">Street</label>
          <input id="citizen-street" type="text" data-bind="textInput: fields.street, attr: {'aria-invalid': !!errors().street}">
          <p class="field-error" data-bind="visible: errors().street, text: errors().street"></p>
        </div>
        <div class="field">
          <label for="citizen-building">Building</label>
          <input id="citizen-building" type="text" data-bind="textInput: fields.building, attr: {'aria-invalid': !!errors().building}">
          <p class="field-error" data-bind="visible: errors().building, text: errors().building"></p>
        </div>
        <div class="field">
          <label for="citizen-apartment">Apartment</label>
          <input id="citizen-apartment" type="text" inputmode="numeric" data-bind="textInput: fields.apartment, attr: {'aria-invalid': !!errors().apartment}">
          <p class="field-error" data-bind="visible: errors().apartment, text: errors().apartment"></p>
        </div>
        <div class="field wide">
          <label for="citizen-relatives">Relatives <span class="hint">(citizen ids, separated by commas)</span></label>
          <input id="citizen-relatives" type="text" data-bind="textInput: fields.relatives, attr: {'aria-invalid': !!errors().relatives}">
          <p class="field-error" data-bind="visible: errors().relatives, text: errors().relatives"></p>
        </div>
      </div>
      <p class="field-error" role="alert" data-bind="visible: errors().form, text: errors().form"></p>
      <div class="actions">
        <button type="submit" class="primary" data-bind="disable: busy">Save changes</button>
        <a data-bind="attr: {href: importLink}">Back to the import</a>
        <span class="status" role="status" data-bind="text: status"></span>
      </div>
    </form>
  </template>
