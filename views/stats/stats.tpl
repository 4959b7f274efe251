  <template id="screen-stats">
    <div class="screen-head">
      <h1>Statistics</h1>
      <p class="lede">What happened on Warble each day (UTC), counted every night.</p>
    </div>
    <form class="card range" novalidate data-bind="submit: submit">
      <div class="field">
        <label for="stats-from">From <span class="hint">(YYYY-MM-DD)</span></label>
        <input id="stats-from" type="text" autocomplete="off" spellcheck="false" placeholder="YYYY-MM-DD" data-bind="textInput: from, attr: {'aria-invalid': !!errors().from}">
        <p class="field-error" data-bind="visible: errors().from, text: errors().from"></p>
      </div>
      <div class="field">
        <label for="stats-to">To <span class="hint">(YYYY-MM-DD)</span></label>
        <input id="stats-to" type="text" autocomplete="off" spellcheck="false" placeholder="YYYY-MM-DD" data-bind="textInput: to, attr: {'aria-invalid': !!errors().to}">
        <p class="field-error" data-bind="visible: errors().to, text: errors().to"></p>
      </div>
      <div class="actions"><button type="submit" class="primary">Show</button></div>
      <p class="field-error" role="alert" data-bind="visible: errors().range, text: errors().range"></p>
    </form>
    <div class="card empty-state" role="status" data-bind="visible: nothingCounted">
      <h2>Nothing counted from <span class="day" data-bind="text: first"></span> to <span class="day" data-bind="text: last"></span></h2>
      <p>Each day is counted shortly after it ends (UTC), so today's figures appear tomorrow. Choose an earlier range, or come back later.</p>
    </div>
    <div data-bind="visible: someCounted">
      <section class="card" aria-labelledby="stats-chart-title">
        <h2 id="stats-chart-title">Posts, new users and active authors per day</h2>
        <div class="chart tall"><canvas id="stats-chart" role="img" aria-label="Line chart of posts, new users and active authors per day; the same figures are in the table below." data-bind="chart: chart"></canvas></div>
      </section>
      <div class="columns">
        <section class="card" aria-labelledby="stats-top-title">
          <h2 id="stats-top-title">Most referenced users</h2>
          <p class="empty" data-bind="visible: noTop">Nobody was referenced in this period.</p>
          <ol class="ranking" data-bind="foreach: top">
            <li><a data-bind="attr: {href: link}, text: username"></a> <span class="figure" data-bind="text: references"></span></li>
          </ol>
        </section>
        <section class="card" aria-labelledby="stats-days-title">
          <h2 id="stats-days-title">Day by day</h2>
          <p class="hint"><span class="day" data-bind="text: first"></span> to <span class="day" data-bind="text: last"></span></p>
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Day</th><th scope="col" class="number">Posts</th><th scope="col" class="number">New users</th><th scope="col" class="number">Active authors</th><th scope="col" class="number">New follows</th></tr></thead>
              <tbody data-bind="foreach: days">
                <tr><th scope="row" data-bind="text: day"></th><td class="number" data-bind="text: posts"></td><td class="number" data-bind="text: users"></td><td class="number" data-bind="text: authors"></td><td class="number" data-bind="text: follows"></td></tr>
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </div>
  </template>
