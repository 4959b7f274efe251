/* Real URLs for the screens through the history API: links change the screen without a reload,
   and back, forward and reload land on the same screen. */
const $ = window.Zepto;

/* `/users/:username` or `/users/:username/:tab(followers|following)` as a regular expression
   with named groups. */
function compile(pattern) {
  const source = pattern.replace(/:([a-zA-Z]+)(?:\(([^)]*)\))?/g,
    (whole, name, choices) => `(?<${name}>${choices || '[^/]+'})`);
  return new RegExp(`^${source}/?$`);
}

export class Router {
  /* `routes`: [pattern, Screen] pairs; `show(Screen, params, query)` draws a screen. */
  constructor(routes, show) {
    this.routes = routes.map(([pattern, Screen]) => ({ match: compile(pattern), Screen }));
    this.show = show;
  }

  start() {
    window.addEventListener('popstate', () => this.route());
    $(document).on('click', 'a[href]', (event) => this.follow(event));
    this.route();
  }

  /* Go to a URL of this site as if a link to it was followed. */
  navigate(url, { replace = false } = {}) {
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    this.route();
  }

  route() {
    const { pathname, search } = window.location;
    const query = new URLSearchParams(search);
    for (const { match, Screen } of this.routes) {
      const found = match.exec(pathname);
      if (found) {
        const params = {};
        for (const [name, value] of Object.entries(found.groups || {})) {
          params[name] = decodeURIComponent(value);
        }
        return this.show(Screen, params, query);
      }
    }
    return this.show(null, {}, query);
  }

  follow(event) {
    const link = event.currentTarget;
    const plain = event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey
      && !event.altKey && !link.target && !link.hasAttribute('download');
    if (!plain || link.origin !== window.location.origin) return;
    if (!this.routes.some(({ match }) => match.test(link.pathname))) return;
    event.preventDefault();
    this.navigate(link.pathname + link.search, { replace: link.href === window.location.href });
  }
}
