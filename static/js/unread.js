/* The header's count of unread notifications: asked again whenever the page changes screen,
   comes back into view, or the user logs in or out. */
import * as api from './api.js';

const ko = window.ko;

export class Unread {
  constructor(session) {
    this.session = session;
    this.count = ko.observable(0);
    this.shown = ko.pureComputed(() => (this.count() > 99 ? '99+' : String(this.count())));
    this.label = ko.pureComputed(() => (this.count()
      ? `Notifications, ${this.count()} unread` : 'Notifications'));
    this.asked = 0;
    session.username.subscribe(() => this.refresh());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.refresh();
    });
  }

  /* Ask the server; an answer that comes after a newer question is dropped. */
  async refresh() {
    const turn = ++this.asked;
    const username = this.session.username();
    if (!username) {
      this.count(0);
      return;
    }
    try {
      const answer = await api.get(api.apiPath('users', username, 'notifications', 'unread'));
      if (turn === this.asked) this.count(answer.unread);
    } catch (ignored) { /* the badge keeps its count until the next screen */ }
  }

  /* What a screen that marked notifications read learned from the server. */
  set(unread) {
    ++this.asked;
    this.count(unread);
  }
}
