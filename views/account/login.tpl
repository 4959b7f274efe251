  <template id="screen-login">
    <div class="narrow">
      <h1>Log in</h1>
      <form class="card" novalidate data-bind="submit: submit">
        <div class="field">
          <label for="login-username">Username</label>
          <input id="login-username" type="text" autocomplete="username" autocapitalize="none" data-bind="textInput: username, hasFocus: true">
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input id="login-password" type="password" autocomplete="current-password" data-bind="textInput: password">
          <p class="hint"><a href="/forgot-password">Forgot password?</a></p>
        </div>
        <p class="field-error" role="alert" data-bind="visible: error, text: error"></p>
        <div class="actions"><button type="submit" class="primary" data-bind="disable: busy">Log in</button></div>
      </form>
      <p>New here? <a data-bind="attr: {href: signUpLink}">Sign up</a>.</p>
    </div>
  </template>
