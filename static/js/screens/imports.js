/* The Analyzer's first screen: upload a citizens file (with progress, and the reasons when it is
   refused) and the list of imports. */
import * as api from '../api.js';
import { clearOn } from '../messages.js';
import { count, formatTime } from '../text.js';

const ko = window.ko;

/* "1st", "2nd", "3rd", "11th": a place in the file. */
function ordinal(number) {
  const tens = number % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : { 1: 'st', 2: 'nd', 3: 'rd' }[number % 10] || 'th';
  return `${number}${suffix}`;
}

/* A problem of the API's `problems` list as a row: which citizen, which field, what is wrong. */
function problemRow(problem) {
  let citizen = 'The file';
  if (problem.citizen_id !== null) citizen = `Citizen ${problem.citizen_id}`;
  else if (problem.position !== null) citizen = `The ${ordinal(problem.position + 1)} citizen in the list`;
  const message = problem.message.charAt(0).toUpperCase() + problem.message.slice(1);
  return { citizen, field: problem.field || '—', message };
}

export class ImportsScreen {
  constructor() {
    this.template = 'screen-imports';
    this.section = 'analyzer';
    this.title = 'Analyzer';
    this.imports = ko.observableArray([]);
    this.noImports = ko.pureComputed(() => this.imports().length === 0);
    this.file = ko.observable(null);
    this.fileLabel = ko.pureComputed(() => (this.file()
      ? `${this.file().name}: ${count(this.file().size, 'byte')}` : ''));
    this.uploading = ko.observable(false);
    this.progress = ko.observable(0);
    this.progressShown = ko.pureComputed(() => this.uploading() || this.progress() > 0);
    this.progressLabel = ko.pureComputed(() => `Upload progress: ${this.progress()}%`);
    this.phase = ko.observable('');
    this.refusal = ko.observable('');
    this.problems = ko.observableArray([]);
    this.hasProblems = ko.pureComputed(() => this.problems().length > 0);
    this.moreProblems = ko.observable('');
    this.created = ko.observable(null);
    this.upload = () => this.send();
    clearOn(this.refusal, this.file);  // a new file: the last one's answer is no longer it
    this.file.subscribe(() => {
      this.problems([]);
      this.moreProblems('');
      if (this.file()) this.created(null);
    });
  }

  async load() {
    const answer = await api.get('/imports');
    this.imports(answer.data.map((row) => ({
      id: String(row.import_id),
      link: `/analyzer/imports/${row.import_id}`,
      citizens: count(row.citizens, 'citizen'),
      created: formatTime(row.created),
    })));
  }

  async send() {
    const file = this.file();
    this.refusal('');
    this.problems([]);
    this.moreProblems('');
    this.created(null);
    if (!file) {
      this.refusal('Choose a JSON file of citizens first.');
      return;
    }
    this.uploading(true);
    this.progress(0);
    this.phase('Uploading…');
    try {
      const answer = await api.post('/imports', file, (fraction) => {
        this.progress(Math.round(fraction * 100));
        if (fraction >= 1) this.phase('Checking and storing…');
      });
      this.progress(100);
      const id = answer.data.import_id;
      this.file(null);
      this.created({ text: `Import ${id}`, link: `/analyzer/imports/${id}` });
      await this.load();
    } catch (error) {
      this.refused(error);
    } finally {
      this.uploading(false);
      this.phase('');
    }
  }

  /* The reasons of a refusal: the API's `problems` (every one found, by citizen and field,
     in plain words) when it lists them, else its message. */
  refused(error) {
    if (!error.problems) {
      this.refusal(error.message);
      return;
    }
    if (error.problems.every((problem) => problem.position === null)) {  // the file as a whole
      this.refusal([...error.problems.map((problem) => problem.message), 'Nothing was stored.']
        .join(' '));
      return;
    }
    const rows = error.problems.map(problemRow);
    const found = rows.length + (error.more || 0);
    this.refusal(found === 1
      ? 'The file was not stored. Fix this problem and upload it again:'
      : `The file was not stored. Fix these ${count(found, 'problem')} and upload it again:`);
    this.problems(rows);
    if (error.more) {
      this.moreProblems(`…and ${count(error.more, 'more problem')}, not listed: the first ${rows.length} are shown.`);
    }
  }
}
