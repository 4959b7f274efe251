/* What the shell shows when a URL names nothing, or a screen's data could not be loaded. */

export class MissingScreen {
  constructor(message = 'There is no page at this address.') {
    this.template = 'screen-missing';
    this.section = '';
    this.title = 'Not found';
    this.message = message;
  }
}

export class ProblemScreen {
  constructor(error) {
    this.template = 'screen-problem';
    this.section = '';
    this.title = 'Something went wrong';
    this.message = error.message || String(error);
  }
}
