/* One post on a page of its own, the address mention e-mails link to; its author can edit or
   delete it here. */
import * as api from '../api.js';
import { PostList } from '../posts.js';

export class PostScreen {
  constructor(app, params) {
    this.template = 'screen-post';
    this.section = '';
    this.username = params.username;
    this.title = `A post by ${params.username}`;
    this.userLink = `/users/${encodeURIComponent(params.username)}`;
    this.url = api.apiPath('users', params.username, 'collection', params.postId);
    this.posts = new PostList(app.session, 'This post has been deleted.');
  }

  async load() {
    this.posts.show([await api.get(this.url)]);
  }
}
