/* The posts of the people I follow, oldest first as the API gives them. */
import { apiPath, withQuery } from '../api.js';
import { pageOf } from '../paging.js';
import { PostList } from '../posts.js';

export class TimelineScreen {
  constructor(app, params, query) {
    this.template = 'screen-timeline';
    this.section = 'timeline';
    this.title = 'Timeline';
    this.session = app.session;
    this.query = query;
    this.posts = new PostList(app.session,
      'Nothing here yet: follow someone to see their posts.');
    if (!app.session.loggedIn()) this.redirect = '/login?next=%2Ftimeline';
  }

  load() {
    const url = apiPath('users', this.session.username(), 'timeline');
    return this.posts.load(withQuery(url, { page: pageOf(this.query) }), this.query);
  }
}
