/* A user's page: profile, their posts (paged), who they follow and who follows them, and the
   follow button for a logged-in visitor. Their own page has the compose box and their setting
   for mention e-mails. */
import * as api from '../api.js';
import { Compose } from '../compose.js';
import { pageOf, pagerFor } from '../paging.js';
import { PostList } from '../posts.js';
import { count, formatTime } from '../text.js';

const ko = window.ko;
const TABS = [['posts', 'Posts', ''], ['following', 'Following', '/following'],
  ['followers', 'Followers', '/followers']];

export class UserScreen {
  constructor(app, params, query) {
    this.template = 'screen-user';
    this.session = app.session;
    this.username = params.username;
    this.tab = params.tab || 'posts';
    this.query = query;
    this.mine = app.session.is(params.username);
    this.section = this.mine ? 'me' : '';
    this.title = this.username;
    const home = `/users/${encodeURIComponent(params.username)}`;
    this.tabs = TABS.map(([name, label, path]) => ({
      label, link: home + path, current: name === this.tab ? 'page' : null,
    }));
    this.joined = ko.observable('');
    this.counts = ko.observable(null);
    this.postsCount = ko.pureComputed(() => this.counts()
      && count(this.counts().posts_count, 'post'));
    this.followersCount = ko.pureComputed(() => this.counts()
      && count(this.counts().followers_count, 'follower'));
    this.followingCount = ko.pureComputed(() => this.counts()
      && count(this.counts().following_count, 'following', 'following'));
    this.posts = new PostList(app.session, this.mine
      ? 'You have not posted yet.' : `${params.username} has not posted yet.`,
    () => this.loadCounts());
    this.initial = this.username.slice(0, 1).toUpperCase();
    this.people = ko.observableArray([]);
    this.noPeople = ko.pureComputed(() => this.people().length === 0);
    this.noPeopleText = this.tab === 'followers'
      ? `Nobody follows ${params.username} yet.` : `${params.username} follows nobody yet.`;
    this.peoplePager = ko.observable(pagerFor({}, query));
    this.compose = new Compose(app.session, (post) => {
      this.posts.prepend(post);
      this.loadCounts();
    });
    this.canFollow = app.session.loggedIn() && !this.mine;
    this.following = ko.observable(false);
    this.followBusy = ko.observable(false);
    this.followError = ko.observable('');
    this.followLabel = ko.pureComputed(() => (this.following() ? 'Unfollow' : 'Follow'));
    this.toggleFollow = () => this.changeFollow();
    this.notifyMentions = ko.observable(false);
    this.settingBusy = ko.observable(false);
    this.settingError = ko.observable('');
  }

  get path() {
    return api.apiPath('users', this.username);
  }

  async load() {
    const user = await api.get(this.path);
    this.username = user.username;
    this.joined(`Joined ${formatTime(user.created)}`);
    this.showCounts(user);
    if (this.mine) {
      this.notifyMentions(user.notify_mentions);
      this.notifyMentions.subscribe((on) => this.changeSetting({ notify_mentions: on }));
    }
    const page = { page: pageOf(this.query) };
    const loads = [this.tab === 'posts'
      ? this.posts.load(api.withQuery(`${this.path}/collection`, page), this.query)
      : this.loadPeople()];
    if (this.canFollow) loads.push(this.loadFollowing());
    await Promise.all(loads);
  }

  showCounts(user) {
    const { posts_count, followers_count, following_count } = user;
    this.counts({ posts_count, followers_count, following_count });
  }

  /* The counts again after this page changed them (a post, a deletion, a follow). */
  async loadCounts() {
    this.showCounts(await api.get(this.path));
  }

  async loadPeople() {
    const answer = await api.get(api.withQuery(`${this.path}/${this.tab}`,
      { page: pageOf(this.query) }));
    this.people(answer.result.map((user) => ({
      username: user.username, link: `/users/${encodeURIComponent(user.username)}`,
    })));
    this.peoplePager(pagerFor(answer, this.query));
  }

  /* Whether the logged-in user follows this one: their following list, filtered to this name. */
  async loadFollowing() {
    const url = api.withQuery(api.apiPath('users', this.session.username(), 'following'),
      { username: this.username });
    this.following((await api.get(url)).result.length > 0);
  }

  async changeSetting(changes) {
    this.settingBusy(true);
    this.settingError('');
    try {
      await api.patch(this.path, changes);
    } catch (error) {
      this.settingError(error.message);
    } finally {
      this.settingBusy(false);
    }
  }

  async changeFollow() {
    const mine = api.apiPath('users', this.session.username(), 'following');
    this.followBusy(true);
    this.followError('');
    try {
      if (this.following()) await api.remove(`${mine}/${encodeURIComponent(this.username)}`);
      else await api.post(mine, { username: this.username });
      this.following(!this.following());
      const reloads = [this.loadCounts()];
      if (this.tab === 'followers') reloads.push(this.loadPeople());
      await Promise.all(reloads);
    } catch (error) {
      this.followError(error.message);
    } finally {
      this.followBusy(false);
    }
  }
}
