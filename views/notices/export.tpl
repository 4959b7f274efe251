  <template id="screen-export">
    <div class="screen-head">
      <h1>Export your posts</h1>
      <p class="lede">A file of all your posts, made in the background. It is kept for a day.</p>
    </div>
    <div class="card export">
      <p class="export-state" role="status" data-bind="text: stateText"></p>
      <!-- ko if: underWay -->
      <div class="progress">
        <label for="export-progress" data-bind="text: progressText"></label>
        <progress id="export-progress" data-bind="attr: {max: progressMax, value: progressValue}"></progress>
      </div>
      <!-- /ko -->
      <!-- ko if: ready -->
      <p class="actions"><a class="button primary" data-bind="attr: {href: current().download}, text: downloadText"></a></p>
      <p class="hint" data-bind="text: expiresText"></p>
      <!-- /ko -->
    </div>
    <form class="card" novalidate data-bind="submit: start">
      <fieldset class="choices" data-bind="attr: {disabled: underWay}">
        <legend>Format</legend>
        <label class="check"><input type="radio" name="export-format" value="json" data-bind="checked: format"> JSON <span class="hint">(for programs)</span></label>
        <label class="check"><input type="radio" name="export-format" value="csv" data-bind="checked: format"> CSV <span class="hint">(for spreadsheets)</span></label>
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" data-bind="disable: busy() || underWay()">Export my posts</button>
        <span class="hint" data-bind="visible: underWay">One export at a time: this one is under way.</span>
      </div>
      <p class="field-error" role="alert" data-bind="visible: error, text: error"></p>
    </form>
  </template>
