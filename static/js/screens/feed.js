/* The public feed at `/`: the latest posts of everyone, and the compose box when logged in. */
import { apiPath, withQuery } from '../api.js';
import { Compose } from '../compose.js';
import { pageOf } from '../paging.js';
import { PostList } from '../posts.js';

export class FeedScreen {
  constructor(app, params, query) {
    this.template = 'screen-feed';
    this.section = 'feed';
    this.title = 'Latest posts';
    this.session = app.session;
    this.query = query;
    this.page = pageOf(query);
    this.posts = new PostList(app.session, 'Nothing has been posted yet.');
    this.compose = new Compose(app.session, (post) => this.posts.prepend(post));
  }

  load() {
    return this.posts.load(withQuery(apiPath('microposts'), { page: this.page }), this.query);
  }
}
