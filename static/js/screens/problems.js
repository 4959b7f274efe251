/* What the shell shows when a URL names nothing, a screen's data could not be loaded, or the
   Analyzer is closed to the visitor. */

/* Where a problem screen leads back to: the Analyzer's first screen from its own pages. */
const WAYS_BACK = {
  analyzer: { link: '/analyzer', text: 'Back to the Analyzer' },
  '': { link: '/', text: 'Back to the latest posts' },
};

/* The section of the site a path belongs to, for the way back. */
export function sectionOf(path) {
  return path === '/analyzer' || path.startsWith('/analyzer/') ? 'analyzer' : '';
}

export class MissingScreen {
  constructor(message = 'There is no page at this address.', section = '') {
    this.template = 'screen-missing';
    this.section = section;
    this.title = 'Not found';
    this.message = message;
    this.back = WAYS_BACK[section] || WAYS_BACK[''];
  }
}

export class ProblemScreen {
  constructor(error, section = '') {
    this.template = 'screen-problem';
    this.section = section;
    this.title = 'Something went wrong';
    this.message = error.message || String(error);
    this.back = WAYS_BACK[section] || WAYS_BACK[''];
  }
}

/* The Analyzer, when the server keeps it for analysts (401: nobody logged in; 403: the
   account lacks the role): who may use it, and how one becomes an analyst. */
export class AnalyzerClosedScreen {
  constructor(status, username) {
    this.template = 'screen-analyzer-closed';
    this.section = 'analyzer';
    this.title = 'Analyzer: for analysts';
    this.loggedIn = status === 403 && !!username;
    this.loginLink = `/login?next=${encodeURIComponent(window.location.pathname)}`;
    this.message = this.loggedIn
      ? `Your account, ${username}, does not have the analyst role yet.`
      : 'Log in with an account that has the analyst role to use it.';
    this.command = `python3 manage.py grant ${username || '<your username>'} analyst`;
  }
}
