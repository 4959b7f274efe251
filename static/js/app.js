/* Warble front end: Knockout view models over the JSON API. */
(function (ko) {
  'use strict';
  function AppViewModel() {
    this.ready = ko.observable(true);
  }
  ko.applyBindings(new AppViewModel(), document.getElementById('app'));
}(window.ko));
