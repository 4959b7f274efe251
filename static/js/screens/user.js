/* A user's page: profile (avatar, display name, bio, counts), their posts (paged), who they
   follow and who follows them, and the follow button for a logged-in visitor. Their own page
   has the compose box, their setting for mention e-mails and the editing of their profile. */
import * as api from '../api.js';
import { Compose } from '../compose.js';
import { pageOf } from '../paging.js';
import { PeopleList } from '../people.js';
import { PostList } from '../posts.js';
import { ProfileEditor } from '../profile.js';
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
    this.displayName = ko.observable('');
    this.heading = ko.pureComputed(() => this.displayName() || this.username);
    this.handle = ko.observable('');
    this.bio = ko.observable('');
    this.avatar = ko.observable(api.apiPath('users', params.username, 'avatar', 'default.svg'));
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
    this.people = new PeopleList(this.tab === 'followers'
      ? `Nobody follows ${params.username} yet.` : `${params.username} follows nobody yet.`);
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
    this.editing = ko.observable(false);
    this.toggleEditing = () => this.editing(!this.editing());
    this.profile = this.mine ? new ProfileEditor(this.path, (user) => this.showProfile(user))
      : null;
  }

  get path() {
    return api.apiPath('users', this.username);
  }

  async load() {
    const user = await api.get(this.path);
    this.username = user.username;
    this.joined(`Joined ${formatTime(user.created)}`);
    this.showProfile(user);
    this.showCounts(user);
    if (this.mine) {
      this.profile.fill(user);
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

  /* Who the user says they are; the posts shown take the new name and picture too. */
  showProfile(user) {
    this.displayName(user.display_name || '');
    this.handle(user.display_name ? `@${user.username}` : '');
    this.bio(user.bio || '');
    this.avatar(user.avatar);
    this.posts.restyle(user);
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
    await this.people.load(api.withQuery(`${this.path}/${this.tab}`,
      { page: pageOf(this.query) }), this.query);
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
