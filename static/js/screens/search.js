/* Search posts by text, and optionally by author; the query lives in the URL. */
import { apiPath, withQuery } from '../api.js';
import { LIMITS } from '../limits.js';
import { clearOn } from '../messages.js';
import { pageOf } from '../paging.js';
import { PostList } from '../posts.js';

const ko = window.ko;

export class SearchScreen {
  constructor(app, params, query) {
    this.template = 'screen-search';
    this.section = 'search';
    this.title = 'Search';
    this.router = app.router;
    this.query = query;
    this.text = ko.observable(query.get('text') || '');
    this.username = ko.observable(query.get('username') || '');
    this.searched = ko.observable(false);
    this.error = ko.observable('');
    this.posts = new PostList(app.session, 'No post matches.');
    this.submit = () => this.search();
    clearOn(this.error, this.text);
  }

  async load() {
    const text = this.text().trim();
    if (!text || this.tooShort(text)) return;
    await this.posts.load(withQuery(apiPath('search'), {
      text, username: this.username().trim(), page: pageOf(this.query),
    }), this.query);
    this.searched(true);
  }

  search() {
    const text = this.text().trim();
    if (this.tooShort(text)) return;
    this.router.navigate(withQuery('/search', { text, username: this.username().trim() }));
  }

  /* Whether `text` is too short to search for; if so, say so next to the field. */
  tooShort(text) {
    if (text.length >= LIMITS.search_min) return false;
    this.error(`Search for at least ${LIMITS.search_min} characters.`);
    return true;
  }
}
