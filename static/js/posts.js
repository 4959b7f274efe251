/* Microposts on screen: lists with paging, and editing or deleting one's own posts in place.
   Post text is only ever bound as text, never as HTML. */
import * as api from './api.js';
import { now } from './clock.js';
import { LIMITS } from './limits.js';
import { clearFieldOn } from './messages.js';
import { pagerFor } from './paging.js';
import { relativeTime, utcTime } from './text.js';

const ko = window.ko;
const MENTION = new RegExp(`(@${LIMITS.username_characters})`);

/* Characters as the server counts them (code points, not UTF-16 units). */
export function length(text) {
  return Array.from(text || '').length;
}

/* "12 characters left" for a text observable, and whether it is over the limit. */
export function counter(text) {
  const left = ko.pureComputed(() => LIMITS.text_max - length(text()));
  return {
    left,
    over: ko.pureComputed(() => left() < 0),
    label: ko.pureComputed(() => (left() < 0
      ? `${-left()} characters too many`
      : `${left()} characters left`)),
  };
}

/* Problems the server would refuse, found before sending: the text's length. */
export function textProblem(text) {
  if (!text.trim()) return 'Write something first.';
  if (length(text) > LIMITS.text_max) return `At most ${LIMITS.text_max} characters.`;
  return null;
}

/* The text split into plain parts and @mentions, each mention linking to its user page. */
function partsOf(text) {
  return text.split(MENTION).filter(Boolean).map((part) => (MENTION.test(part)
    ? { text: part, link: `/users/${encodeURIComponent(part.slice(1))}` }
    : { text: part, link: null }));
}

export class Post {
  constructor(json, session, list) {
    this.id = json.id; // a decimal string, kept so: a Number rounds ids above 2^53
    this.username = json.username;
    this.displayName = ko.observable(json.display_name || '');
    this.author = ko.pureComputed(() => this.displayName() || this.username);
    this.handle = ko.pureComputed(() => (this.displayName() ? `@${this.username}` : ''));
    this.avatar = ko.observable(json.avatar);
    this.userLink = `/users/${encodeURIComponent(json.username)}`;
    this.link = `${this.userLink}/posts/${json.id}`;
    this.timestamp = json.timestamp;
    this.when = ko.pureComputed(() => relativeTime(json.timestamp, now()));
    this.fullTime = utcTime(json.timestamp);
    this.edited = ko.observable(json.edited);
    this.editedTitle = ko.pureComputed(() => this.edited() && `Edited ${utcTime(this.edited())}`);
    this.text = ko.observable(json.text);
    this.referenced = ko.observable(json.referenced);
    this.referencedLink = ko.pureComputed(() => this.referenced()
      && `/users/${encodeURIComponent(this.referenced())}`);
    this.parts = ko.pureComputed(() => partsOf(this.text()));
    this.mine = ko.pureComputed(() => session.is(this.username));
    this.editing = ko.observable(false);
    this.confirming = ko.observable(false);
    this.busy = ko.observable(false);
    this.draft = ko.observable('');
    this.draftReferenced = ko.observable('');
    this.draftCounter = counter(this.draft);
    this.errors = ko.observable({});
    this.fieldId = `post-${json.id}`;
    this.edit = () => {
      this.draft(this.text());
      this.draftReferenced(this.referenced() || '');
      this.errors({});
      this.editing(true);
    };
    this.cancel = () => {
      this.errors({});
      this.editing(false);
    };
    clearFieldOn(this.errors, 'text', this.draft);
    clearFieldOn(this.errors, 'referenced', this.draftReferenced, 'text');
    this.save = () => this.saveDraft();
    this.askDelete = () => this.confirming(true);
    this.keep = () => this.confirming(false);
    this.destroy = () => this.deleteIt(list);
  }

  get url() {
    return api.apiPath('users', this.username, 'collection', this.id);
  }

  /* The post as the server has it now (after an edit made elsewhere). */
  async reload() {
    const fresh = await api.get(this.url);
    this.text(fresh.text);
    this.referenced(fresh.referenced);
  }

  async saveDraft() {
    const problem = textProblem(this.draft());
    if (problem) {
      this.errors({ text: problem });
      return;
    }
    this.busy(true);
    try {
      const saved = await api.patch(this.url, {
        text: this.draft(), referenced: this.draftReferenced().trim() || null,
      });
      this.text(saved.text);
      this.referenced(saved.referenced);
      this.edited(saved.edited);
      this.errors({});
      this.editing(false);
    } catch (error) {
      this.errors(error.byField('text'));
    } finally {
      this.busy(false);
    }
  }

  async deleteIt(list) {
    this.busy(true);
    try {
      this.errors({});
      await api.remove(this.url);
      list.posts.remove(this);
      list.removed();
    } catch (error) {
      this.errors(error.byField('text'));
      this.confirming(false);
    } finally {
      this.busy(false);
    }
  }
}

/* One page of posts from the API, with links to the pages around it. */
export class PostList {
  /* `removed` is called after one of the posts was deleted. */
  constructor(session, emptyText, removed = () => {}) {
    this.session = session;
    this.removed = removed;
    this.posts = ko.observableArray([]);
    this.pager = ko.observable(pagerFor({}, new URLSearchParams()));
    this.emptyText = emptyText;
    this.empty = ko.pureComputed(() => this.posts().length === 0);
  }

  async load(url, query) {
    const answer = await api.get(url);
    this.show(answer.result);
    this.pager(pagerFor(answer, query));
  }

  /* These posts (as the API gives them), in this order. */
  show(posts) {
    this.posts(posts.map((json) => new Post(json, this.session, this)));
  }

  /* A post just written, shown first without a reload. */
  prepend(json) {
    this.posts.unshift(new Post(json, this.session, this));
  }

  /* The posts of `user` shown with the display name and picture they have now. */
  restyle(user) {
    for (const shown of this.posts()) {
      if (shown.username.toLowerCase() === user.username.toLowerCase()) {
        shown.displayName(user.display_name || '');
        shown.avatar(user.avatar_small);
      }
    }
  }

  /* An older post, shown last. */
  append(json) {
    this.posts.push(new Post(json, this.session, this));
  }
}
