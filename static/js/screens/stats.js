/* Daily statistics: posts, new users and active authors over time, and the most referenced
   users of the period. */
import * as api from '../api.js';
import { colour } from '../bindings.js';
import { daysBefore, isoDate } from '../text.js';

const ko = window.ko;
const DEFAULT_DAYS = 30;
const SERIES = [['new_posts', 'Posts'], ['new_users', 'New users'],
  ['active_authors', 'Active authors']];

/* Every day from `first` to `last` (YYYY-MM-DD, both included). */
function daysBetween(first, last) {
  const days = [];
  for (let day = new Date(`${first}T00:00:00Z`); isoDate(day) <= last;
    day = new Date(day.getTime() + 24 * 3600 * 1000)) {
    days.push(isoDate(day));
  }
  return days;
}

/* A line per series over every day of the range; a day not counted yet is a gap. */
function lineChart(days, rows) {
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return {
    type: 'line',
    data: {
      labels: days,
      datasets: SERIES.map(([key, label], index) => ({
        label,
        data: days.map((day) => (byDay.has(day) ? byDay.get(day)[key] : null)),
        borderColor: colour(index),
        backgroundColor: colour(index),
        tension: 0.25,
      })),
    },
    options: {
      plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

/* The ten most referenced users over all `rows`, adding up their daily counts. */
function topReferenced(rows) {
  const totals = new Map();
  for (const row of rows) {
    for (const { username, references } of row.top_referenced) {
      totals.set(username, (totals.get(username) || 0) + references);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10)
    .map(([username, references]) => ({
      username, references: String(references), link: `/users/${encodeURIComponent(username)}`,
    }));
}

export class StatsScreen {
  constructor(app, params, query) {
    this.template = 'screen-stats';
    this.section = 'stats';
    this.title = 'Statistics';
    this.router = app.router;
    const today = new Date();
    this.from = ko.observable(query.get('from') || isoDate(daysBefore(today, DEFAULT_DAYS)));
    this.to = ko.observable(query.get('to') || isoDate(daysBefore(today, 1)));
    this.errors = ko.observable({});
    this.counted = ko.observable(false);
    this.chart = ko.observable(lineChart([], []));
    this.days = ko.observableArray([]);
    this.noDays = ko.pureComputed(() => this.days().length === 0);
    this.top = ko.observableArray([]);
    this.noTop = ko.pureComputed(() => this.top().length === 0);
    this.submit = () => this.router.navigate(api.withQuery('/stats',
      { from: this.from(), to: this.to() }));
  }

  async load() {
    let answer;
    try {
      answer = await api.get(api.withQuery(api.apiPath('stats', 'daily'),
        { from: this.from(), to: this.to() }));
    } catch (error) {
      if (error.status !== 400) throw error;
      this.errors(error.byField('range'));
      return;
    }
    const rows = answer.result;
    this.chart(lineChart(daysBetween(answer.from, answer.to), rows));
    this.days(rows.map((row) => ({
      day: row.day, posts: String(row.new_posts), users: String(row.new_users),
      authors: String(row.active_authors), follows: String(row.new_follows),
    })).reverse());
    this.top(topReferenced(rows));
    this.counted(true);
  }
}
