  <template id="screen-signup">
    <div class="narrow">
      <h1>Sign up</h1>
      <form class="card" novalidate data-bind="submit: submit">
        <div class="field">
          <label for="signup-username">Username</label>
          <input id="signup-username" type="text" autocomplete="username" autocapitalize="none" aria-describedby="signup-username-hint" data-bind="textInput: username, hasFocus: true, attr: {'aria-invalid': !!errors().username}">
          <p id="signup-username-hint" class="hint" data-bind="visible: !errors().username">{{limits['username_min']}} to {{limits['username_max']}} letters, digits or underscores.</p>
          <p class="field-error" data-bind="visible: errors().username, text: errors().username"></p>
        </div>
        <div class="field">
          <label for="signup-email">E-mail</label>
          <input id="signup-email" type="email" autocomplete="email" data-bind="textInput: email, attr: {'aria-invalid': !!errors().email}">
          <p class="field-error" data-bind="visible: errors().email, text: errors().email"></p>
        </div>
        <div class="field">
          <label for="signup-password">Password</label>
          <input id="signup-password" type="password" autocomplete="new-password" aria-describedby="signup-password-hint" data-bind="textInput: password, attr: {'aria-invalid': !!errors().password}">
          <p id="signup-password-hint" class="hint" data-bind="visible: !errors().password">At least 8 characters, and not easy to guess: a few uncommon words make a good one.</p>
          <p class="field-error" data-bind="visible: errors().password, text: errors().password"></p>
        </div>
        <p class="field-error" role="alert" data-bind="visible: errors().form, text: errors().form"></p>
        <div class="actions"><button type="submit" class="primary" data-bind="disable: busy">Create account</button></div>
      </form>
      <p>Already have an account? <a href="/login">Log in</a>.</p>
    </div>
  </template>
