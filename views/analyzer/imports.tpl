  <template id="screen-imports">
    <div class="screen-head">
      <h1>Analyzer</h1>
      <p class="lede">Upload the citizens of a town and see who buys birthday presents when, and how old people are in each town.</p>
    </div>
    <form class="card upload" novalidate data-bind="submit: upload">
      <h2>Upload an import</h2>
      <div class="field">
        <label for="upload-file">Citizens file <span class="hint">(JSON: {"citizens": [...]})</span></label>
        <input id="upload-file" type="file" accept=".json,application/json" aria-describedby="upload-file-name" data-bind="file: file, disable: uploading">
        <p id="upload-file-name" class="hint" data-bind="text: fileLabel"></p>
      </div>
      <div class="actions">
        <button type="submit" class="primary" data-bind="disable: uploading">Upload</button>
        <span class="status" role="status" data-bind="text: phase"></span>
      </div>
      <div class="progress" data-bind="visible: progressShown">
        <label for="upload-progress" data-bind="text: progressLabel"></label>
        <progress id="upload-progress" max="100" data-bind="attr: {value: progress}, text: progress"></progress>
      </div>
      <p class="notice success" role="status" data-bind="visible: created"><!-- ko with: created -->Stored as <a data-bind="attr: {href: link}, text: text"></a>.<!-- /ko --></p>
      <div class="refusal" role="alert" data-bind="visible: refusal">
        <p class="field-error" data-bind="text: refusal"></p>
        <div class="table-wrap" data-bind="visible: hasProblems">
          <table class="problems cards">
            <caption>What to fix in the file</caption>
            <thead><tr><th scope="col">Citizen</th><th scope="col">Field</th><th scope="col">Problem</th></tr></thead>
            <tbody data-bind="foreach: problems">
              <tr><th scope="row" data-bind="text: citizen"></th><td data-label="Field"><code data-bind="text: field"></code></td><td data-label="Problem" data-bind="text: message"></td></tr>
            </tbody>
          </table>
        </div>
        <p class="hint" data-bind="visible: moreProblems, text: moreProblems"></p>
      </div>
    </form>
    <section class="card" aria-labelledby="imports-title">
      <h2 id="imports-title">Imports</h2>
      <p class="empty" data-bind="visible: noImports">No import yet: upload one above.</p>
      <div class="table-wrap" data-bind="visible: !noImports">
        <table>
          <thead><tr><th scope="col">Import</th><th scope="col" class="number">Citizens</th><th scope="col">Uploaded</th></tr></thead>
          <tbody data-bind="foreach: imports">
            <tr><th scope="row"><a data-bind="attr: {href: link}, text: 'Import ' + id"></a></th><td class="number" data-bind="text: citizens"></td><td data-bind="text: created"></td></tr>
          </tbody>
        </table>
      </div>
    </section>
  </template>
