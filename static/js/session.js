/* Who is logged in. The session itself is an HttpOnly cookie; the page only knows the user's
   name and the CSRF token that every write must carry. */
import * as api from './api.js';

const ko = window.ko;
const SESSION = '/api/v1/session';

export class Session {
  constructor() {
    this.username = ko.observable(null);
    this.loggedIn = ko.pureComputed(() => this.username() !== null);
    /* Until the server has answered, the page shows neither signed-in nor signed-out
       controls: "loading", then "in" or "out" (the header's `data-session`). */
    this.known = ko.observable(false);
    this.state = ko.pureComputed(() => {
      if (!this.known()) return 'loading';
      return this.loggedIn() ? 'in' : 'out';
    });
  }

  /* Learn from the server whether this browser has a session (if it cannot say, the page
     goes on as logged out). */
  async load() {
    try {
      this.use(await api.get(SESSION));
    } finally {
      this.known(true);
    }
  }

  async logIn(username, password) {
    this.use(await api.post(SESSION, { username, password }));
  }

  async logOut() {
    try {
      await api.remove(SESSION);
    } finally {
      this.use({ username: null, csrf_token: null });
    }
  }

  /* Whether `username` names the logged-in user (usernames ignore case). */
  is(username) {
    const mine = this.username();
    return mine !== null && !!username && mine.toLowerCase() === username.toLowerCase();
  }

  use(answer) {
    api.setCsrfToken(answer.csrf_token);
    this.username(answer.username);
  }
}
