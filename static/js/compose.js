/* The compose box: text with a live character count, an optional addressee, errors next to
   the field they concern. A post that is accepted is handed to `onPosted` at once. */
import * as api from './api.js';
import { clearFieldOn, clearOn } from './messages.js';
import { counter, textProblem } from './posts.js';

const ko = window.ko;

export class Compose {
  constructor(session, onPosted) {
    this.session = session;
    this.text = ko.observable('');
    this.referenced = ko.observable('');
    this.counter = counter(this.text);
    this.errors = ko.observable({});
    this.busy = ko.observable(false);
    this.status = ko.observable('');
    this.submit = () => this.send(onPosted);
    clearOn(this.status, this.text, this.referenced);
    clearFieldOn(this.errors, 'text', this.text);
    clearFieldOn(this.errors, 'referenced', this.referenced);
  }

  async send(onPosted) {
    const problem = textProblem(this.text());
    this.status('');
    if (problem) {
      this.errors({ text: problem });
      return;
    }
    const body = { text: this.text() };
    const referenced = this.referenced().trim().replace(/^@/, '');
    if (referenced) body.referenced = referenced;
    this.busy(true);
    try {
      const posted = await api.post(api.apiPath('users', this.session.username(), 'collection'),
        body);
      this.errors({});
      this.text('');
      this.referenced('');
      this.status('Posted.');  // after the fields are emptied, which clears it
      onPosted(posted);
    } catch (error) {
      this.errors(error.byField('text'));
    } finally {
      this.busy(false);
    }
  }
}
