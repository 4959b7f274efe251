/* Export my posts: ask for a JSON or CSV file, watch the worker's progress, then download it
   (kept a day). The newest export is shown, and followed while it is under way. */
import * as api from '../api.js';
import { count, formatTime } from '../text.js';

const ko = window.ko;
const POLL_MS = 1000;
const UNDER_WAY = ['pending', 'running'];

export class ExportScreen {
  constructor(app) {
    this.template = 'screen-export';
    this.section = 'me';  // reached from one's own page
    this.title = 'Export your posts';
    if (!app.session.loggedIn()) {
      this.redirect = '/login?next=%2Fexport';
      return;
    }
    this.url = api.apiPath('users', app.session.username(), 'exports');
    this.format = ko.observable('json');
    this.current = ko.observable(null);
    this.busy = ko.observable(false);
    this.error = ko.observable('');
    this.underWay = ko.pureComputed(() => !!this.current()
      && UNDER_WAY.includes(this.current().state));
    this.ready = ko.pureComputed(() => !!this.current() && !!this.current().download);
    this.stateText = ko.pureComputed(() => this.describe(this.current()));
    this.progressMax = ko.pureComputed(() => (this.current() ? Math.max(this.current().total, 1) : 1));
    this.progressValue = ko.pureComputed(() => (this.current() ? this.current().done : 0));
    this.progressText = ko.pureComputed(() => (this.current()
      ? `${this.current().done} of ${count(this.current().total, 'post')}` : ''));
    this.downloadText = ko.pureComputed(() => (this.current()
      ? `Download ${this.current().format.toUpperCase()} (${count(this.current().total, 'post')})` : ''));
    this.expiresText = ko.pureComputed(() => (this.ready()
      ? `Kept until ${formatTime(this.current().expires)}.` : ''));
    this.start = () => this.ask();
    this.timer = null;
    this.closed = false;
  }

  async load() {
    const answer = await api.get(this.url);
    this.show(answer.result[0] || null);
  }

  describe(exported) {
    if (!exported) return 'You have not exported your posts yet.';
    const kind = exported.format.toUpperCase();
    return {
      pending: `Your ${kind} export is waiting for a worker…`,
      running: `Writing your ${kind} export…`,
      done: `Your ${kind} export is ready.`,
      failed: `Your ${kind} export failed. Please ask for a new one.`,
      expired: `Your last ${kind} export expired. Ask for a new one.`,
    }[exported.state];
  }

  /* Show an export, and look again in a moment while it is under way. */
  show(exported) {
    this.current(exported);
    window.clearTimeout(this.timer);
    if (exported && UNDER_WAY.includes(exported.state) && !this.closed) {
      this.format(exported.format);  // the form, disabled meanwhile, shows the one under way
      this.timer = window.setTimeout(() => this.poll(), POLL_MS);
    }
  }

  async poll() {
    try {
      this.show(await api.get(this.current().href));
    } catch (error) {
      this.error(error.message);
    }
  }

  async ask() {
    this.busy(true);
    this.error('');
    try {
      this.show(await api.post(this.url, { format: this.format() }));
    } catch (error) {
      this.error(error.message);
    } finally {
      this.busy(false);
    }
  }

  close() {
    this.closed = true;
    window.clearTimeout(this.timer);
  }
}
