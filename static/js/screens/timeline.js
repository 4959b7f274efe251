/* My home timeline: my posts and those of the people I follow, newest first, with the compose
   box on top and new posts announced live. */
import { apiPath } from '../api.js';
import { Compose } from '../compose.js';
import { LiveFeed } from '../livefeed.js';

export class TimelineScreen {
  constructor(app, params, query) {
    this.template = 'screen-timeline';
    this.section = 'timeline';
    this.title = 'Timeline';
    this.session = app.session;
    if (!app.session.loggedIn()) {
      this.redirect = '/login?next=%2Ftimeline';
      return;
    }
    const timeline = apiPath('users', this.session.username(), 'timeline');
    this.feed = new LiveFeed(app.session, timeline, `${timeline}/stream`,
      'Nothing here yet: write something, or follow someone to see their posts.');
    this.compose = new Compose(app.session, (post) => this.feed.prepend(post));
  }

  load() {
    return this.feed.load();
  }

  close() {
    this.feed.close();
  }
}
