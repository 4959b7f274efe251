/* My notifications: posts that name me and people who followed me, newest first, with
   "Older notifications" below. Opening the screen marks what it shows read (the header's
   badge drops to zero); those that were new keep their mark until the next visit. */
import * as api from '../api.js';
import { now } from '../clock.js';
import { relativeTime, utcTime } from '../text.js';

const ko = window.ko;

function userLink(username) {
  return `/users/${encodeURIComponent(username)}`;
}

/* One notification as the template shows it. */
function shown(json) {
  const post = json.post && {
    text: json.post.text,
    link: `${userLink(json.post.username)}/posts/${json.post.id}`,
  };
  return {
    id: json.id,
    mention: json.kind === 'mention',
    actor: json.actor,
    actorLink: userLink(json.actor),
    what: json.kind === 'mention' ? 'mentioned you' : 'followed you',
    post,
    isNew: !json.read,
    created: json.created,
    fullTime: utcTime(json.created),
    when: ko.pureComputed(() => relativeTime(json.created, now())),
  };
}

export class NotificationsScreen {
  constructor(app) {
    this.template = 'screen-notifications';
    this.section = 'notifications';
    this.title = 'Notifications';
    this.session = app.session;
    this.unread = app.unread;
    if (!app.session.loggedIn()) {
      this.redirect = '/login?next=%2Fnotifications';
      return;
    }
    this.url = api.apiPath('users', app.session.username(), 'notifications');
    this.items = ko.observableArray([]);
    this.empty = ko.pureComputed(() => this.items().length === 0);
    this.olderLink = ko.observable(null);
    this.busy = ko.observable(false);
    this.error = ko.observable('');
    this.showOlder = () => this.older();
  }

  async load() {
    const answer = await api.get(this.url);
    this.items(answer.result.map(shown));
    this.olderLink(answer.next);
    await this.markSeen(answer.result);
  }

  async older() {
    this.busy(true);
    this.error('');
    try {
      const answer = await api.get(this.olderLink());
      answer.result.forEach((json) => this.items.push(shown(json)));
      this.olderLink(answer.next);
    } catch (error) {
      this.error(error.message);
    } finally {
      this.busy(false);
    }
  }

  /* Mark read everything up to the newest notification shown. */
  async markSeen(result) {
    if (!result.some((json) => !json.read)) {
      this.unread.refresh();
      return;
    }
    try {
      const answer = await api.post(`${this.url}/read`, { up_to: result[0].id });
      this.unread.set(answer.unread);
    } catch (error) {
      this.error(error.message);
    }
  }
}
