/* Edit one citizen of an import; only the fields that changed are sent, and the server's
   objections are shown next to their fields. */
import { citizensOf, notFound, patchCitizen } from '../analyzer.js';
import { clearFieldOn, clearOn } from '../messages.js';

const ko = window.ko;
const TEXT_FIELDS = ['name', 'birth_date', 'gender', 'town', 'street', 'building'];

/* "3, 7" → [3, 7]; null when it is not a list of whole numbers. */
function parseIds(text) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.every((part) => /^\d+$/.test(part)) ? parts.map(Number) : null;
}

export class CitizenScreen {
  constructor(app, params) {
    this.template = 'screen-citizen';
    this.section = 'analyzer';
    this.importId = params.importId;
    this.citizenId = Number(params.citizenId);
    this.title = `Citizen ${params.citizenId}`;
    this.importLink = `/analyzer/imports/${params.importId}`;
    this.importLabel = `Import ${params.importId}`;
    this.original = null;
    this.fields = {};
    for (const name of [...TEXT_FIELDS, 'apartment', 'relatives']) {
      this.fields[name] = ko.observable('');
    }
    this.heading = ko.observable('');
    this.errors = ko.observable({});
    this.status = ko.observable('');
    this.busy = ko.observable(false);
    this.save = () => this.send();
    for (const [name, field] of Object.entries(this.fields)) {
      clearOn(this.status, field);
      clearFieldOn(this.errors, name, field);
    }
  }

  async load() {
    const citizens = await citizensOf(this.importId);
    const citizen = citizens.find((one) => one.citizen_id === this.citizenId);
    if (!citizen) throw notFound(`Import ${this.importId} has no citizen ${this.citizenId}.`);
    this.show(citizen);
  }

  show(citizen) {
    this.original = citizen;
    this.heading(citizen.name);
    for (const name of TEXT_FIELDS) this.fields[name](citizen[name]);
    this.fields.apartment(String(citizen.apartment));
    this.fields.relatives(citizen.relatives.join(', '));
  }

  /* The fields whose value differs from the stored citizen, or problems found before sending. */
  changes() {
    const changes = {};
    const problems = {};
    for (const name of TEXT_FIELDS) {
      if (this.fields[name]() !== this.original[name]) changes[name] = this.fields[name]();
    }
    const apartment = this.fields.apartment().trim();
    if (!/^\d+$/.test(apartment)) problems.apartment = 'A whole number, 0 or more.';
    else if (Number(apartment) !== this.original.apartment) changes.apartment = Number(apartment);
    const relatives = parseIds(this.fields.relatives());
    if (relatives === null) problems.relatives = 'Citizen ids separated by commas.';
    else if (relatives.join() !== this.original.relatives.join()) changes.relatives = relatives;
    return { changes, problems };
  }

  async send() {
    const { changes, problems } = this.changes();
    this.status('');
    this.errors(problems);
    if (Object.keys(problems).length) return;
    if (!Object.keys(changes).length) {
      this.status('Nothing has changed.');
      return;
    }
    this.busy(true);
    try {
      this.show(await patchCitizen(this.importId, this.citizenId, changes));
      this.errors({});
      this.status('Saved.');  // after `show`, whose changes of the fields clear it
    } catch (error) {
      this.errors(error.byField('form'));
    } finally {
      this.busy(false);
    }
  }
}
