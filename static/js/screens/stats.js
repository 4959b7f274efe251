/* Daily statistics: posts, new users and active authors over time, and the most referenced
   users of the period. */
import * as api from '../api.js';
import { colour } from '../bindings.js';
import { clearFieldOn } from '../messages.js';
import { daysBefore, isoDate } from '../text.js';

const ko = window.ko;
const DEFAULT_DAYS = 30;  // ending today (UTC)
const MAX_DAYS = 366;  // the API's bound (`micropost_rules.MAX_DAYS`)
const DAY_MS = 24 * 3600 * 1000;
const SERIES = [['new_posts', 'Posts'], ['new_users', 'New users'],
  ['active_authors', 'Active authors']];

/* Whether `text` is a real day as YYYY-MM-DD: the one format of days on this screen (fields,
   chart, table), the API's. A native date field would show the browser's own format, which
   need not be the one of the page's locale. */
function isDay(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text || '')
    && !Number.isNaN(Date.parse(text)) && isoDate(new Date(`${text}T00:00:00Z`)) === text;
}

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
      scales: {
        x: { ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { beginAtZero: true, ticks: { precision: 0 } },
      },
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
    this.today = isoDate(today);
    this.from = ko.observable(query.get('from') || isoDate(daysBefore(today, DEFAULT_DAYS - 1)));
    this.to = ko.observable(query.get('to') || this.today);
    this.errors = ko.observable({});
    clearFieldOn(this.errors, 'from', this.from, 'range');
    clearFieldOn(this.errors, 'to', this.to, 'range');
    this.counted = ko.observable(false);
    this.first = ko.observable('');  // the range shown
    this.last = ko.observable('');
    this.chart = ko.observable(lineChart([], []));
    this.days = ko.observableArray([]);
    this.noDays = ko.pureComputed(() => this.days().length === 0);
    this.nothingCounted = ko.pureComputed(() => this.counted() && this.noDays());
    this.someCounted = ko.pureComputed(() => this.counted() && !this.noDays());
    this.top = ko.observableArray([]);
    this.noTop = ko.pureComputed(() => this.top().length === 0);
    this.submit = () => this.show();
  }

  /* Problems with the range, in plain words by field, found before asking the server. */
  rangeProblems() {
    const from = this.from().trim();
    const to = this.to().trim();
    const problems = {};
    if (!from) problems.from = 'Give a start date.';
    else if (!isDay(from)) problems.from = `Write the start date as YYYY-MM-DD, like ${this.today}.`;
    else if (from > this.today) problems.from = 'The start date must not be after today (UTC).';
    if (!to) problems.to = 'Give an end date.';
    else if (!isDay(to)) problems.to = `Write the end date as YYYY-MM-DD, like ${this.today}.`;
    else if (to > this.today) problems.to = 'The end date must not be after today (UTC).';
    else if (isDay(from) && to < from) problems.to = 'The end date must not be before the start date.';
    else if (isDay(from) && (Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS) {
      problems.to = `The range can be at most ${MAX_DAYS} days long.`;
    }
    return problems;
  }

  show() {
    const problems = this.rangeProblems();
    this.errors(problems);
    if (Object.keys(problems).length) return;
    this.router.navigate(api.withQuery('/stats',
      { from: this.from().trim(), to: this.to().trim() }));
  }

  async load() {
    const problems = this.rangeProblems();
    if (Object.keys(problems).length) {
      this.errors(problems);
      return;
    }
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
    this.first(answer.from);
    this.last(answer.to);
    this.days(rows.map((row) => ({
      day: row.day, posts: String(row.new_posts), users: String(row.new_users),
      authors: String(row.active_authors), follows: String(row.new_follows),
    })).reverse());
    this.top(topReferenced(rows));
    this.counted(true);
  }
}
