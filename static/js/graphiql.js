// The development query page of /graphiql: send the query with its variables, show the answer.
(function () {
  'use strict';
  function run() {
    var headers = {'Content-Type': 'application/json'};
    var authorization = document.getElementById('authorization').value.trim();
    if (authorization) { headers.Authorization = authorization; }
    var variables;
    try {
      variables = JSON.parse(document.getElementById('variables').value || '{}');
    } catch (error) {
      document.getElementById('answer').textContent = 'Variables: ' + error.message;
      return;
    }
    fetch('/graphql', {method: 'POST', headers: headers, credentials: 'omit', body: JSON.stringify({
      query: document.getElementById('query').value, variables: variables})})
      .then(function (answer) { return answer.text(); })
      .then(function (text) {
        var shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { /* as is */ }
        document.getElementById('answer').textContent = shown;
      });
  }
  document.getElementById('run').addEventListener('click', run);
}());
