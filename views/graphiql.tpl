<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>GraphiQL · Warble</title>
</head>
<body>
  <h1>GraphQL</h1>
  <p>Queries and mutations for <code>/graphql</code>; the schema is at
    <a href="/graphql/schema">/graphql/schema</a>. Writes need the
    <code>Authorization</code> header (a bearer token) below.</p>
  <p><label>Authorization <input id="authorization" size="60" placeholder="Bearer ..."></label></p>
  <p><textarea id="query" rows="14" cols="90">{ feed(size: 5) { more result { id username text } } }</textarea></p>
  <p><label>Variables (JSON) <br><textarea id="variables" rows="4" cols="90">{}</textarea></label></p>
  <p><button id="run" type="button">Run</button></p>
  <pre id="answer"></pre>
  <script src="/graphiql.js"></script>
</body>
</html>
