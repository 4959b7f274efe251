/* Search people by name, and posts by text (and optionally by author); the query lives in the
   URL: `name` for people, `text` and `username` for posts. */
import { apiPath, withQuery } from '../api.js';
import { LIMITS } from '../limits.js';
import { clearOn } from '../messages.js';
import { pageOf } from '../paging.js';
import { PeopleList } from '../people.js';
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
    this.name = ko.observable(query.get('name') || '');
    this.nameMax = LIMITS.people_search_max;
    this.nameError = ko.observable('');
    this.peopleSearched = ko.observable(false);
    this.people = new PeopleList('Nobody has that name.');
    this.findPeople = () => this.searchPeople();
    clearOn(this.error, this.text);
    clearOn(this.nameError, this.name);
  }

  async load() {
    const loads = [];
    const name = this.name().trim();
    if (name) loads.push(this.loadPeople(name));
    const text = this.text().trim();
    if (text && !this.tooShort(text)) loads.push(this.loadPosts(text));
    await Promise.all(loads);
  }

  async loadPeople(name) {
    await this.people.load(withQuery(apiPath('users'), { name, page: pageOf(this.query) }),
      this.query);
    this.peopleSearched(true);
  }

  async loadPosts(text) {
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

  searchPeople() {
    const name = this.name().trim();
    if (!name) {
      this.nameError('Type a name, or a part of one.');
      return;
    }
    this.router.navigate(withQuery('/search', { name }));
  }

  /* Whether `text` is too short to search for; if so, say so next to the field. */
  tooShort(text) {
    if (text.length >= LIMITS.search_min) return false;
    this.error(`Search for at least ${LIMITS.search_min} characters.`);
    return true;
  }
}
