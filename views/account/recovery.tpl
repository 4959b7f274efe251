  <template id="screen-forgot">
    <div class="narrow recovery">
      <h1>Forgot your password?</h1>
      <form class="card" novalidate data-bind="submit: submit">
        <p>Give the e-mail address of your account: we will send a link to choose a new password.</p>
        <div class="field">
          <label for="forgot-email">E-mail</label>
          <input id="forgot-email" type="email" autocomplete="email" data-bind="textInput: email, hasFocus: true, attr: {'aria-invalid': !!form.errors().email}">
          <p class="field-error" role="alert" data-bind="visible: form.errors().email, text: form.errors().email"></p>
        </div>
        <p class="notice success" role="status" data-bind="visible: form.done, text: form.done"></p>
        <div class="actions"><button type="submit" class="primary" data-bind="disable: form.busy">Send the link</button></div>
      </form>
      <p><a href="/login">Back to log in</a></p>
    </div>
  </template>
  <template id="screen-reset">
    <div class="narrow recovery">
      <h1>Choose a new password</h1>
      <!-- ko ifnot: form.done() || linkDead() -->
      <form class="card" novalidate data-bind="submit: submit">
        <div class="field">
          <label for="reset-password">New password</label>
          <input id="reset-password" type="password" autocomplete="new-password" aria-describedby="reset-password-hint" data-bind="textInput: password, hasFocus: true, attr: {'aria-invalid': !!form.errors().password}">
          <p id="reset-password-hint" class="hint" data-bind="visible: !form.errors().password">At least 8 characters, and not easy to guess. Every session of your account will be logged out.</p>
          <p class="field-error" role="alert" data-bind="visible: form.errors().password, text: form.errors().password"></p>
        </div>
        <div class="actions"><button type="submit" class="primary" data-bind="disable: form.busy">Set the password</button></div>
      </form>
      <!-- /ko -->
      <!-- ko if: linkDead -->
      <div class="card">
        <p class="field-error" role="alert" data-bind="text: form.errors().token"></p>
        <div class="actions"><a class="button" href="/forgot-password">Ask for a new link</a></div>
      </div>
      <!-- /ko -->
      <!-- ko if: form.done -->
      <div class="card">
        <p class="notice success" role="status" data-bind="text: form.done"></p>
        <div class="actions"><a class="button" href="/login">Log in</a></div>
      </div>
      <!-- /ko -->
    </div>
  </template>
  <template id="screen-confirm-email">
    <div class="narrow recovery">
      <h1>Confirm e-mail address</h1>
      <div class="card">
        <p class="notice success" role="status" data-bind="visible: form.done, text: form.done"></p>
        <p class="field-error" role="alert" data-bind="visible: form.errors().token, text: form.errors().token"></p>
        <p class="field-error" role="alert" data-bind="visible: form.errors().email, text: form.errors().email"></p>
        <p><a href="/settings">Go to your settings</a></p>
      </div>
    </div>
  </template>
