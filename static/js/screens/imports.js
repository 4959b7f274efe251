/* The Analyzer's first screen: upload a citizens file (with progress, and the reasons when it is
   refused) and the list of imports. */
import * as api from '../api.js';
import { count, formatTime } from '../text.js';

const ko = window.ko;
const ERRORS_SHOWN = 100;

/* `citizens.12.birth_date` → citizen 12 and the field, for sorting and reading. */
function problemRow([field, message]) {
  const [, position, name] = /^citizens\.(\d+)\.?(.*)$/.exec(field) || [];
  return position === undefined
    ? { position: -1, where: field, message }
    : { position: Number(position), where: `citizens[${position}]${name ? ` ${name}` : ''}`, message };
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
      this.created({ text: `Import ${id}`, link: `/analyzer/imports/${id}` });
      this.file(null);
      await this.load();
    } catch (error) {
      this.refused(error);
    } finally {
      this.uploading(false);
      this.phase('');
    }
  }

  refused(error) {
    this.refusal(error.message);
    const rows = Object.entries(error.fields || {}).map(problemRow)
      .sort((a, b) => a.position - b.position || a.where.localeCompare(b.where));
    this.problems(rows.slice(0, ERRORS_SHOWN));
    if (rows.length > ERRORS_SHOWN) {
      this.moreProblems(`…and ${count(rows.length - ERRORS_SHOWN, 'more problem')}.`);
    }
  }
}
