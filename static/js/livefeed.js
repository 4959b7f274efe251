/* Posts newest first, paged by post id: "Older posts" at the bottom, and at the top a bar
   "3 new posts" that the server's event stream fills while the page is open; a click shows
   them. Edits and deletes of the posts on screen show at once. */
import * as api from './api.js';
import { PostList } from './posts.js';

const ko = window.ko;
const NEWER_AT_ONCE = 100;  // the most a click on the bar shows; the rest wait for the next
const REOPEN_MS = 5000;  // after the server refused the stream (503 busy), try again this late

export class LiveFeed {
  /* `url`: the API list (paged by post id); `streamUrl`: its server-sent events, or null. */
  constructor(session, url, streamUrl, emptyText) {
    this.url = url;
    this.streamUrl = streamUrl;
    this.list = new PostList(session, emptyText);
    this.olderLink = ko.observable(null);
    this.busy = ko.observable(false);
    this.waiting = ko.observableArray([]);  // ids of new posts announced, not shown yet
    this.barText = ko.pureComputed(() => {
      const count = this.waiting().length;
      return count === 1 ? '1 new post' : `${count} new posts`;
    });
    this.showOlder = () => this.older();
    this.showNewer = () => this.newer();
    this.stream = null;
    this.lastEventId = null;
    this.reopening = null;
  }

  async load() {
    await this.refresh();
    this.listen();
  }

  /* The newest page again (also when the server could not resume the events we missed). */
  async refresh() {
    const answer = await api.get(api.withQuery(this.url, { order: 'newest' }));
    this.list.show(answer.result);
    this.olderLink(answer.next);
    this.waiting([]);
  }

  /* A post just written here, shown first at once. */
  prepend(json) {
    if (!this.find(json.id)) this.list.prepend(json);
  }

  async older() {
    this.busy(true);
    try {
      const answer = await api.get(this.olderLink());
      answer.result.forEach((json) => this.list.append(json));
      this.olderLink(answer.next);
    } finally {
      this.busy(false);
    }
  }

  async newer() {
    const first = this.list.posts()[0];
    this.busy(true);
    try {
      const answer = await api.get(api.withQuery(this.url, {
        order: 'newest', size: NEWER_AT_ONCE, after: first && first.id,
      }));
      answer.result.slice().reverse().forEach((json) => this.prepend(json));
      this.waiting.removeAll(answer.result.map((json) => json.id));
      if (!answer.previous) this.waiting([]);
    } finally {
      this.busy(false);
    }
  }

  find(id) {
    return this.list.posts().find((post) => post.id === id);
  }

  /* Follow the server's events. EventSource sends the session cookie and, when a connection
     drops, reconnects by itself, resuming after the last event it saw; an answer other than a
     stream (503 when the server is busy) ends it for good, so it is opened again here, later,
     from the last event seen. */
  listen() {
    if (!this.streamUrl || !window.EventSource) return;
    const url = this.lastEventId
      ? api.withQuery(this.streamUrl, { last_event_id: this.lastEventId }) : this.streamUrl;
    this.stream = new window.EventSource(url);
    this.stream.addEventListener('error', () => {
      if (this.stream && this.stream.readyState === window.EventSource.CLOSED) {
        this.stream = null;
        this.reopening = window.setTimeout(() => this.listen(), REOPEN_MS);
      }
    });
    this.stream.addEventListener('reset', () => this.refresh().catch(() => null));
    for (const type of ['post', 'edit', 'delete']) {
      this.stream.addEventListener(type, (event) => {
        if (event.lastEventId) this.lastEventId = event.lastEventId;
      });
    }
    this.stream.addEventListener('post', (event) => {
      const { id } = JSON.parse(event.data);
      if (!this.find(id) && !this.waiting().includes(id)) this.waiting.push(id);
    });
    this.stream.addEventListener('edit', (event) => {
      const post = this.find(JSON.parse(event.data).id);
      if (post) post.reload().catch(() => null);
    });
    this.stream.addEventListener('delete', (event) => {
      const { id } = JSON.parse(event.data);
      const post = this.find(id);
      if (post) this.list.posts.remove(post);
      this.waiting.remove(id);
    });
  }

  close() {
    if (this.stream) this.stream.close();
    this.stream = null;
    this.lastEventId = null;
    this.reopening = null;
  }
}
