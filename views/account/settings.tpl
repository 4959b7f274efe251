  <template id="screen-settings">
    <div class="settings">
      <div class="screen-head">
        <h1>Settings</h1>
        <p class="lede" data-bind="visible: !deleted()">Your account, <strong data-bind="text: username"></strong>: its e-mail address, password and sessions.</p>
      </div>
      <!-- ko if: deleted -->
      <div class="card" role="status">
        <p data-bind="text: deleteForm.done"></p>
        <p><a href="/">Back to the latest posts</a></p>
      </div>
      <!-- /ko -->
      <!-- ko ifnot: deleted -->
      <section class="card" aria-labelledby="settings-email-title">
        <h2 id="settings-email-title">E-mail address</h2>
        <p>Mail from Warble goes to <strong class="current-email" data-bind="text: email"></strong>.</p>
        <p class="notice pending-email" data-bind="visible: pendingEmail">Waiting for you to open the link we sent to <strong data-bind="text: pendingEmail"></strong>.</p>
        <form novalidate data-bind="submit: changeEmail">
          <div class="field">
            <label for="settings-new-email">New e-mail address</label>
            <input id="settings-new-email" type="email" autocomplete="email" data-bind="textInput: newEmail, attr: {'aria-invalid': !!emailForm.errors().email}">
            <p class="field-error" data-bind="visible: emailForm.errors().email, text: emailForm.errors().email"></p>
          </div>
          <div class="field">
            <label for="settings-email-password">Your password</label>
            <input id="settings-email-password" type="password" autocomplete="current-password" data-bind="textInput: emailPassword, attr: {'aria-invalid': !!emailForm.errors().password}">
            <p class="field-error" data-bind="visible: emailForm.errors().password, text: emailForm.errors().password"></p>
          </div>
          <p class="field-error" role="alert" data-bind="visible: emailForm.errors().form, text: emailForm.errors().form"></p>
          <div class="actions">
            <button type="submit" class="primary" data-bind="disable: emailForm.busy">Send a confirmation link</button>
            <span class="status" role="status" data-bind="text: emailForm.done"></span>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="settings-password-title">
        <h2 id="settings-password-title">Password</h2>
        <form novalidate data-bind="submit: changePassword">
          <div class="field">
            <label for="settings-current-password">Current password</label>
            <input id="settings-current-password" type="password" autocomplete="current-password" data-bind="textInput: currentPassword, attr: {'aria-invalid': !!passwordForm.errors().current_password}">
            <p class="field-error" data-bind="visible: passwordForm.errors().current_password, text: passwordForm.errors().current_password"></p>
          </div>
          <div class="field">
            <label for="settings-new-password">New password</label>
            <input id="settings-new-password" type="password" autocomplete="new-password" aria-describedby="settings-new-password-hint" data-bind="textInput: newPassword, attr: {'aria-invalid': !!passwordForm.errors().new_password}">
            <p id="settings-new-password-hint" class="hint" data-bind="visible: !passwordForm.errors().new_password">At least 8 characters, and not easy to guess. Your other sessions will be logged out.</p>
            <p class="field-error" data-bind="visible: passwordForm.errors().new_password, text: passwordForm.errors().new_password"></p>
          </div>
          <p class="field-error" role="alert" data-bind="visible: passwordForm.errors().form, text: passwordForm.errors().form"></p>
          <div class="actions">
            <button type="submit" class="primary" data-bind="disable: passwordForm.busy">Change password</button>
            <span class="status" role="status" data-bind="text: passwordForm.done"></span>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="settings-sessions-title">
        <h2 id="settings-sessions-title">Sessions and tokens</h2>
        <p class="hint">Where your account is signed in. End any you do not recognise.</p>
        <ul class="sessions" data-bind="foreach: sessions">
          <li class="session" data-bind="css: {current: current}">
            <div class="session-what">
              <strong data-bind="text: client"></strong>
              <span class="badge" data-bind="visible: current">This browser</span>
              <span class="session-meta" data-bind="text: kind + ' · ' + address"></span>
              <span class="session-meta" data-bind="text: created"></span>
              <span class="session-meta" data-bind="text: lastUsed"></span>
            </div>
            <!-- ko ifnot: current -->
            <button type="button" class="revoke" data-bind="click: revoke, disable: busy, attr: {'aria-label': label}">End</button>
            <!-- /ko -->
          </li>
        </ul>
        <p class="field-error" role="alert" data-bind="visible: sessionsError, text: sessionsError"></p>
      </section>

      <section class="card danger-zone" aria-labelledby="settings-delete-title">
        <h2 id="settings-delete-title">Delete account</h2>
        <p>Your posts, follows and sessions are deleted for good. Posts of others that name you keep their text.</p>
        <form novalidate data-bind="submit: deleteAccount">
          <div class="field">
            <label for="settings-delete-password">Your password, to confirm</label>
            <input id="settings-delete-password" type="password" autocomplete="current-password" data-bind="textInput: deletePassword, attr: {'aria-invalid': !!deleteForm.errors().password}">
            <p class="field-error" role="alert" data-bind="visible: deleteForm.errors().password, text: deleteForm.errors().password"></p>
          </div>
          <div class="actions"><button type="submit" class="danger" data-bind="disable: deleteForm.busy">Delete my account</button></div>
        </form>
      </section>
      <!-- /ko -->
    </div>
  </template>
