/* Lists of people (followers, following, people search): avatar, display name, username, bio. */
import * as api from './api.js';
import { pagerFor } from './paging.js';

const ko = window.ko;

/* One user of a list, as the API gives it, ready to show. */
export function person(user) {
  return {
    username: user.username,
    displayName: user.display_name || '',
    shownUsername: user.display_name ? `@${user.username}` : user.username,
    bio: user.bio || '',
    avatar: user.avatar_small,
    link: `/users/${encodeURIComponent(user.username)}`,
  };
}

/* One page of people from the API, with links to the pages around it. */
export class PeopleList {
  constructor(emptyText) {
    this.people = ko.observableArray([]);
    this.pager = ko.observable(pagerFor({}, new URLSearchParams()));
    this.emptyText = emptyText;
    this.empty = ko.pureComputed(() => this.people().length === 0);
  }

  async load(url, query) {
    const answer = await api.get(url);
    this.people(answer.result.map(person));
    this.pager(pagerFor(answer, query));
  }
}
