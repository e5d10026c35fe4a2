// The dashboard's state lives in the URL: the filters (as the API names them) and the open article, so that
// a view can be bookmarked, shared, and walked with the browser's back button.

export const FILTERS = ["type", "actor", "country", "since", "until", "q", "include_background"];
const OTHERS = ["article", "event", "view"];

export function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const rest = {};
  for (const name of OTHERS) {
    const value = params.get(name);
    if (value) rest[name] = value;
  }
  return { filters, ...rest };
}

export function writeUrl(state, { replace = false } = {}) {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  for (const name of OTHERS) {
    if (state[name]) params.set(name, state[name]);
  }
  const text = params.toString();
  const url = window.location.pathname + (text ? `?${text}` : "");
  if (url === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
}
