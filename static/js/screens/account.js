/* Sign up and log in. Both end with a session cookie set by the server. */
import * as api from '../api.js';
import { clearFieldOn, clearOn } from '../messages.js';

const ko = window.ko;

/* Where to go once logged in: the `next` path of the query when it is a path of this site. */
function nextOf(query, fallback) {
  const next = query.get('next') || '';
  return next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export class LogInScreen {
  constructor(app, params, query) {
    this.template = 'screen-login';
    this.section = 'login';
    this.title = 'Log in';
    this.session = app.session;
    this.router = app.router;
    this.next = query.get('next') || '';
    this.signUpLink = this.next ? `/signup?next=${encodeURIComponent(this.next)}` : '/signup';
    this.username = ko.observable('');
    this.password = ko.observable('');
    this.error = ko.observable('');
    this.busy = ko.observable(false);
    this.submit = () => this.logIn(query);
    clearOn(this.error, this.username, this.password);
  }

  async logIn(query) {
    this.error('');
    if (!this.username().trim() || !this.password()) {
      this.error('Give your username and password.');
      return;
    }
    this.busy(true);
    try {
      await this.session.logIn(this.username().trim(), this.password());
      this.router.navigate(nextOf(query, '/'));
    } catch (error) {
      this.error(error.message);
    } finally {
      this.busy(false);
    }
  }
}

export class SignUpScreen {
  constructor(app, params, query) {
    this.template = 'screen-signup';
    this.section = 'signup';
    this.title = 'Sign up';
    this.session = app.session;
    this.router = app.router;
    this.username = ko.observable('');
    this.email = ko.observable('');
    this.password = ko.observable('');
    this.errors = ko.observable({});
    this.busy = ko.observable(false);
    this.submit = () => this.signUp(query);
    clearFieldOn(this.errors, 'username', this.username);
    clearFieldOn(this.errors, 'email', this.email);
    clearFieldOn(this.errors, 'password', this.password);
  }

  async signUp(query) {
    const username = this.username().trim();
    this.errors({});
    this.busy(true);
    try {
      await api.post(api.apiPath('users'), {
        username, email: this.email().trim(), password: this.password(),
      });
      await this.session.logIn(username, this.password());
      this.router.navigate(nextOf(query, `/users/${encodeURIComponent(username)}`));
    } catch (error) {
      this.errors(error.byField('form'));
    } finally {
      this.busy(false);
    }
  }
}
