/* One Analyzer import: birthday presents per month and age percentiles per town, each as a
   chart with its table, and the citizens, with a link to edit each. */
import * as api from '../api.js';
import { citizensOf, importPath } from '../analyzer.js';
import { colour } from '../bindings.js';
import { count } from '../text.js';

const ko = window.ko;
const MONTHS = Array.from({ length: 12 }, (_, month) => new Intl.DateTimeFormat(undefined,
  { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, month, 1))));
const PERCENTILES = [['p50', '50th'], ['p75', '75th'], ['p99', '99th']];
const PAGE = 25;

function barChart(labels, datasets, yTitle) {
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      plugins: { legend: { display: datasets.length > 1, position: 'bottom' } },
      scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } } },
    },
  };
}

export class ImportScreen {
  constructor(app, params) {
    this.template = 'screen-import';
    this.section = 'analyzer';
    this.importId = params.importId;
    this.title = `Import ${params.importId}`;
    this.months = ko.observableArray([]);
    this.towns = ko.observableArray([]);
    this.citizens = ko.observableArray([]);
    this.summary = ko.observable('');
    this.monthsChart = ko.observable(barChart([], [], ''));
    this.townsChart = ko.observable(barChart([], [], ''));
    this.filter = ko.observable('');
    this.shownCount = ko.observable(PAGE);
    this.matching = ko.pureComputed(() => {
      const wanted = this.filter().trim().toLowerCase();
      return this.citizens().filter((row) => !wanted || row.search.includes(wanted));
    });
    this.shown = ko.pureComputed(() => this.matching().slice(0, this.shownCount()));
    this.more = ko.pureComputed(() => (this.matching().length > this.shownCount()
      ? `Show more (${count(this.matching().length - this.shownCount(), 'citizen')} left)` : ''));
    this.showMore = () => this.shownCount(this.shownCount() + PAGE * 4);
    this.filter.subscribe(() => this.shownCount(PAGE));
  }

  async load() {
    const [birthdays, percentiles, citizens] = await Promise.all([
      api.get(importPath(this.importId, 'citizens', 'birthdays')),
      api.get(importPath(this.importId, 'towns', 'stat', 'percentile', 'age')),
      citizensOf(this.importId),
    ]);
    this.showMonths(birthdays.data);
    this.showTowns(percentiles.data);
    this.showCitizens(citizens);
  }

  showMonths(byMonth) {
    const totals = MONTHS.map((name, index) => {
      const buyers = byMonth[String(index + 1)] || [];
      const presents = buyers.reduce((sum, buyer) => sum + buyer.presents, 0);
      return { name, presents, buyers: buyers.length };
    });
    this.months(totals.map((month) => ({
      name: month.name, presents: String(month.presents), buyers: String(month.buyers),
    })));
    this.monthsChart(barChart(MONTHS, [{
      label: 'Presents', data: totals.map((month) => month.presents), backgroundColor: colour(0),
    }], 'Presents'));
  }

  showTowns(rows) {
    this.towns(rows.map((row) => ({
      town: row.town, p50: row.p50.toFixed(2), p75: row.p75.toFixed(2), p99: row.p99.toFixed(2),
    })));
    this.townsChart(barChart(rows.map((row) => row.town), PERCENTILES.map(([key, label], index) => ({
      label: `${label} percentile`, data: rows.map((row) => row[key]), backgroundColor: colour(index),
    })), 'Age in years'));
  }

  showCitizens(citizens) {
    const towns = new Set(citizens.map((citizen) => citizen.town));
    this.summary(`${count(citizens.length, 'citizen')} in ${count(towns.size, 'town')}.`);
    this.citizens(citizens.map((citizen) => ({
      id: String(citizen.citizen_id),
      name: citizen.name,
      town: citizen.town,
      born: citizen.birth_date,
      relatives: citizen.relatives.join(', ') || '—',
      link: `/analyzer/imports/${this.importId}/citizens/${citizen.citizen_id}`,
      label: `Edit ${citizen.name}`,
      search: `${citizen.citizen_id} ${citizen.name} ${citizen.town} ${citizen.street}`.toLowerCase(),
    })));
  }
}
