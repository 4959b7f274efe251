/* One's own account (e-mail address, password, sessions and tokens, deletion), and the screens
   reached from e-mails or the login screen: asking for a reset link, choosing a new password
   with it, confirming a new address. The links' tokens come in the URL's fragment, which no
   server or referrer sees. */
import * as api from '../api.js';
import { formatTime } from '../text.js';

const ko = window.ko;

/* The token of a mailed link: `#token=...` in the address bar, removed from it once read. */
function linkToken() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') || '';
  if (token) window.history.replaceState(null, '', window.location.pathname);
  return token;
}

/* "Firefox on Linux" from a user agent, or the user agent itself when not recognised. */
export function clientName(userAgent) {
  if (!userAgent) return 'Unknown client';
  const browsers = [['Edg/', 'Edge'], ['OPR/', 'Opera'], ['Firefox/', 'Firefox'],
    ['Chrome/', 'Chrome'], ['Safari/', 'Safari'], ['curl/', 'curl'], ['python-requests', 'Python']];
  const systems = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'],
    ['Windows', 'Windows'], ['Mac OS', 'macOS'], ['Linux', 'Linux']];
  const browser = browsers.find(([mark]) => userAgent.includes(mark));
  const system = systems.find(([mark]) => userAgent.includes(mark));
  if (!browser) return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent;
  return system ? `${browser[1]} on ${system[1]}` : browser[1];
}

/* A form's state: its fields' errors, a message once done, and whether it is being sent. */
class Form {
  constructor() {
    this.errors = ko.observable({});
    this.done = ko.observable('');
    this.busy = ko.observable(false);
  }

  /* Send with `call`; `fallback` names where an error naming no field goes. */
  async run(call, fallback = 'form') {
    this.errors({});
    this.done('');
    this.busy(true);
    try {
      this.done(await call());
    } catch (error) {
      if (!error.byField || (error.code !== 'invalid' && fallback === 'token')) {
        this.errors({ [fallback]: error.message });  // a link that cannot be used: say why
      } else if (error.code === 'invalid_token') {
        this.errors({ token: error.message });
      } else {
        this.errors(error.byField(fallback));
      }
    } finally {
      this.busy(false);
    }
  }
}

class SessionRow {
  constructor(row, revoke) {
    this.id = row.id;
    this.current = row.current;
    this.kind = row.kind === 'session' ? 'Browser session' : 'API token';
    this.client = clientName(row.user_agent);
    this.address = row.address || 'unknown address';
    this.created = `Signed in ${formatTime(row.created)}`;
    this.lastUsed = row.last_used ? `Last used ${formatTime(row.last_used)}` : 'Never used';
    this.label = `End ${this.kind.toLowerCase()}: ${this.client}, ${this.address}`;
    this.busy = ko.observable(false);
    this.revoke = () => revoke(this);
  }
}

export class SettingsScreen {
  constructor(app) {
    this.template = 'screen-settings';
    this.section = 'settings';
    this.title = 'Settings';
    this.session = app.session;
    this.router = app.router;
    if (!app.session.loggedIn()) {
      this.redirect = '/login?next=%2Fsettings';
      return;
    }
    this.username = app.session.username();
    this.email = ko.observable('');
    this.pendingEmail = ko.observable(null);
    this.newEmail = ko.observable('');
    this.emailPassword = ko.observable('');
    this.emailForm = new Form();
    this.currentPassword = ko.observable('');
    this.newPassword = ko.observable('');
    this.passwordForm = new Form();
    this.sessions = ko.observableArray([]);
    this.sessionsError = ko.observable('');
    this.deletePassword = ko.observable('');
    this.deleteForm = new Form();
    this.deleted = ko.observable(false);
    this.changeEmail = () => this.emailForm.run(() => this.sendEmailChange());
    this.changePassword = () => this.passwordForm.run(() => this.sendPasswordChange());
    this.deleteAccount = () => this.deleteForm.run(() => this.sendDeletion(), 'password');
  }

  path(...rest) {
    return api.apiPath('users', this.username, ...rest);
  }

  async load() {
    const [account, sessions] = await Promise.all([
      api.get(this.path('account')), api.get(this.path('sessions'))]);
    this.showAccount(account);
    this.showSessions(sessions.result);
  }

  showAccount(account) {
    this.email(account.email);
    this.pendingEmail(account.pending_email);
  }

  showSessions(rows) {
    this.sessions(rows.map((row) => new SessionRow(row, (shown) => this.revoke(shown))));
  }

  async sendEmailChange() {
    const answer = await api.post(this.path('email'), {
      email: this.newEmail().trim(), password: this.emailPassword() });
    this.pendingEmail(answer.pending_email);
    this.newEmail('');
    this.emailPassword('');
    return answer.message;
  }

  async sendPasswordChange() {
    const answer = await api.request('PUT', this.path('password'), {
      current_password: this.currentPassword(), new_password: this.newPassword() });
    this.currentPassword('');
    this.newPassword('');
    this.showSessions((await api.get(this.path('sessions'))).result);
    const others = answer.revoked === 1 ? '1 other session was' : `${answer.revoked} other sessions were`;
    return `Password changed. ${others} logged out.`;
  }

  async revoke(row) {
    this.sessionsError('');
    row.busy(true);
    try {
      await api.remove(this.path('sessions', row.id));
      this.sessions.remove(row);
    } catch (error) {
      this.sessionsError(error.message);
      row.busy(false);
    }
  }

  async sendDeletion() {
    await api.request('DELETE', this.path(), { password: this.deletePassword() });
    this.session.use({ username: null, csrf_token: null });
    this.deleted(true);
    return `The account ${this.username} is deleted, with its posts. Goodbye!`;
  }
}

export class ForgotPasswordScreen {
  constructor() {
    this.template = 'screen-forgot';
    this.section = 'login';
    this.title = 'Forgot password';
    this.email = ko.observable('');
    this.form = new Form();
    this.submit = () => this.form.run(async () => {
      if (!this.email().trim()) throw new Error('Give the e-mail address of your account.');
      return (await api.post(api.apiPath('password-resets'), { email: this.email().trim() })).message;
    }, 'email');
  }
}

export class ResetPasswordScreen {
  constructor(app) {
    this.template = 'screen-reset';
    this.section = 'login';
    this.title = 'Choose a new password';
    this.router = app.router;
    this.token = linkToken();
    this.password = ko.observable('');
    this.form = new Form();
    if (!this.token) this.form.errors({ token: 'This page needs the link from the e-mail we sent you.' });
    this.linkDead = ko.pureComputed(() => !!this.form.errors().token);
    this.submit = () => this.form.run(async () => {
      const answer = await api.post(api.apiPath('password-resets', 'completion'), {
        token: this.token, password: this.password() });
      this.password('');
      return `Your password is changed, ${answer.username}: log in with it now.`;
    }, 'password');
  }
}

export class ConfirmEmailScreen {
  constructor() {
    this.template = 'screen-confirm-email';
    this.section = 'settings';
    this.title = 'Confirm e-mail address';
    this.token = linkToken();
    this.form = new Form();
  }

  load() {
    if (!this.token) {
      this.form.errors({ token: 'This page needs the link from the e-mail we sent you.' });
      return null;
    }
    return this.form.run(async () => {
      const answer = await api.post(api.apiPath('email-confirmations'), { token: this.token });
      return `${answer.email} is now the e-mail address of ${answer.username}.`;
    }, 'token');
  }
}
