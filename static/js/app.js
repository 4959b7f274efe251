/* Warble front end: the page shell holds one screen at a time, chosen by the URL. */
import { configureBindings } from './bindings.js';
import { Router } from './router.js';
import { ROUTES } from './routes.js';
import {
  AnalyzerClosedScreen, MissingScreen, ProblemScreen, sectionOf,
} from './screens/problems.js';
import { Session } from './session.js';
import { Unread } from './unread.js';

const ko = window.ko;

class Shell {
  constructor(session) {
    this.session = session;
    this.unread = new Unread(session);
    this.screen = ko.observable({ template: 'screen-loading', section: '' });
    this.loading = ko.observable(true);
    this.busy = ko.pureComputed(() => String(this.loading()));
    this.template = ko.pureComputed(() => this.screen().template);
    this.name = ko.pureComputed(() => this.screen().template.replace('screen-', ''));
    this.current = ko.pureComputed(() => ({ [this.screen().section]: 'page' }));
    this.myPage = ko.pureComputed(() => `/users/${encodeURIComponent(session.username() || '')}`);
    this.router = new Router(ROUTES, (Screen, params, query) => this.show(Screen, params, query));
    this.shown = 0;
    this.logOut = () => this.leave();
    /* The phone menu: the nav folds under a button on narrow screens (CSS decides when). */
    this.menuOpen = ko.observable(false);
    this.menuExpanded = ko.pureComputed(() => String(this.menuOpen()));
    this.toggleMenu = () => this.menuOpen(!this.menuOpen());
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.menuOpen()) {
        this.menuOpen(false);
        document.querySelector('.menu-button').focus();
      }
    });
  }

  /* Build the screen for a URL, load its data, then put it up (unless another came first). */
  async show(Screen, params, query) {
    const turn = ++this.shown;
    const first = turn === 1;
    this.unread.refresh();
    this.loading(true);
    this.menuOpen(false);
    let screen = Screen ? new Screen(this, params, query)
      : new MissingScreen(`There is no page at ${window.location.pathname}.`,
        sectionOf(window.location.pathname));
    try {
      if (screen.redirect) {
        this.router.navigate(screen.redirect, { replace: true });
        return;
      }
      await screen.load?.();  // screens without data to fetch have no load()
    } catch (error) {
      screen = this.refusal(screen, error);
    }
    if (turn !== this.shown) {
      screen.close?.();
      return;
    }
    this.screen().close?.();  // a live screen stops listening
    this.screen(screen);
    this.loading(false);
    document.title = `${ko.unwrap(screen.title)} · Warble`;
    const main = document.getElementById('main');
    if (!first && !main.contains(document.activeElement)) {
      window.scrollTo(0, 0);
      main.focus();
    }
  }

  /* The screen that says why `screen` could not be loaded. */
  refusal(screen, error) {
    if (error.status === 404) return new MissingScreen(error.message, screen.section);
    if ((error.status === 401 || error.status === 403) && screen.section === 'analyzer') {
      return new AnalyzerClosedScreen(error.status, this.session.username());
    }
    return new ProblemScreen(error, screen.section);
  }

  async leave() {
    try {
      await this.session.logOut();
    } finally {
      this.router.navigate('/');
    }
  }
}

configureBindings();
const session = new Session();
const shell = new Shell(session);
ko.applyBindings(shell, document.body);
session.load().catch(() => null).then(() => shell.router.start());
