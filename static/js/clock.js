/* The time the page shows relative times against: one observable for every post on screen,
   moved on every 30 seconds so "3 min" becomes "4 min" without a reload. */
const ko = window.ko;
const TICK_MS = 30 * 1000;

export const now = ko.observable(Date.now());

setInterval(() => now(Date.now()), TICK_MS);
