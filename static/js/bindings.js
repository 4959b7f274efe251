/* Knockout set-up that keeps the Content-Security-Policy strict: bindings are parsed by
   knockout-secure-binding (no eval, no `new Function`), plus the few bindings Warble adds. */
const ko = window.ko;
const Chart = window.Chart;

const PALETTE = ['#2f5d9a', '#e07a1f', '#1f8a70', '#9b4dca', '#c0392b'];

/* `chart: config` draws a Chart.js chart on a canvas and redraws it when config changes. */
const chart = {
  init(element, valueAccessor) {
    const instance = new Chart(element, ko.unwrap(valueAccessor()));
    ko.utils.domNodeDisposal.addDisposeCallback(element, () => instance.destroy());
    ko.computed(() => {
      const config = ko.unwrap(valueAccessor());
      instance.data = config.data;
      instance.options = config.options || {};
      instance.update();
    }, null, { disposeWhenNodeIsRemoved: element });
  },
};

/* `file: observable` holds the File picked in an `<input type="file">`. */
const file = {
  init(element, valueAccessor) {
    const target = valueAccessor();
    element.addEventListener('change', () => target(element.files[0] || null));
    ko.computed(() => {
      if (!target()) element.value = '';
    }, null, { disposeWhenNodeIsRemoved: element });
  },
};

export function configureBindings() {
  ko.bindingHandlers.chart = chart;
  ko.bindingHandlers.file = file;
  ko.bindingProvider.instance = new ko.secureBindingsProvider({
    attribute: 'data-bind',
    bindings: ko.bindingHandlers,
    globals: {},
    noVirtualElements: false,
  });
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.animation = reduced ? false : { duration: 400 };
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#3d4658';
}

/* Colour `index` of the charts' palette. */
export function colour(index) {
  return PALETTE[index % PALETTE.length];
}
