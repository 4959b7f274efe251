  <template id="screen-import">
    <div class="screen-head">
      <p class="crumbs"><a href="/analyzer">Analyzer</a> ›</p>
      <h1 data-bind="text: title"></h1>
      <p class="lede" data-bind="text: summary"></p>
    </div>
    <section class="card" aria-labelledby="months-title">
      <h2 id="months-title">Birthday presents per month</h2>
      <p class="hint">How many presents citizens buy for the birthdays of their relatives in each month.</p>
      <div class="chart"><canvas id="months-chart" role="img" aria-label="Bar chart of presents per month; the figures are in the table below." data-bind="chart: monthsChart"></canvas></div>
      <details>
        <summary>Figures per month</summary>
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Month</th><th scope="col" class="number">Presents</th><th scope="col" class="number">Citizens buying</th></tr></thead>
            <tbody data-bind="foreach: months">
              <tr><th scope="row" data-bind="text: name"></th><td class="number" data-bind="text: presents"></td><td class="number" data-bind="text: buyers"></td></tr>
            </tbody>
          </table>
        </div>
      </details>
    </section>
    <section class="card" aria-labelledby="ages-title">
      <h2 id="ages-title">Age percentiles per town</h2>
      <div class="chart"><canvas id="ages-chart" role="img" aria-label="Bar chart of the 50th, 75th and 99th age percentiles per town; the figures are in the table below." data-bind="chart: townsChart"></canvas></div>
      <div class="table-wrap">
        <table id="ages-table">
          <thead><tr><th scope="col">Town</th><th scope="col" class="number">50th</th><th scope="col" class="number">75th</th><th scope="col" class="number">99th</th></tr></thead>
          <tbody data-bind="foreach: towns">
            <tr><th scope="row" data-bind="text: town"></th><td class="number" data-bind="text: p50"></td><td class="number" data-bind="text: p75"></td><td class="number" data-bind="text: p99"></td></tr>
          </tbody>
        </table>
      </div>
    </section>
    <section class="card" aria-labelledby="citizens-title">
      <h2 id="citizens-title">Citizens</h2>
      <div class="field">
        <label for="citizens-filter">Filter by id, name, town or street</label>
        <input id="citizens-filter" type="search" data-bind="textInput: filter">
      </div>
      <div class="table-wrap">
        <table id="citizens-table" class="cards">
          <thead><tr><th scope="col" class="number">Id</th><th scope="col">Name</th><th scope="col">Town</th><th scope="col">Born</th><th scope="col">Relatives</th><th scope="col"><span class="visually-hidden">Edit</span></th></tr></thead>
          <tbody data-bind="foreach: shown">
            <tr><td class="number" data-label="Id" data-bind="text: id"></td><th scope="row" data-bind="text: name"></th><td data-label="Town" data-bind="text: town"></td><td data-label="Born" data-bind="text: born"></td><td data-label="Relatives" data-bind="text: relatives"></td><td class="edit-cell"><a data-bind="attr: {href: link, 'aria-label': label}">Edit</a></td></tr>
          </tbody>
        </table>
      </div>
      <button type="button" data-bind="visible: more, text: more, click: showMore"></button>
    </section>
  </template>
