/* The public feed at `/`: everyone's latest posts, newest first and announced live, and the
   compose box when logged in. */
import { apiPath } from '../api.js';
import { Compose } from '../compose.js';
import { LiveFeed } from '../livefeed.js';

export class FeedScreen {
  constructor(app) {
    this.template = 'screen-feed';
    this.section = 'feed';
    this.title = 'Latest posts';
    this.session = app.session;
    const microposts = apiPath('microposts');
    this.feed = new LiveFeed(app.session, microposts, `${microposts}/stream`,
      'Nothing has been posted yet.');
    this.compose = new Compose(app.session, (post) => this.feed.prepend(post));
  }

  load() {
    return this.feed.load();
  }

  close() {
    this.feed.close();
  }
}
