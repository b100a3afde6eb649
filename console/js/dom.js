// Building the page. Every string goes into the DOM as a text node or an
// attribute value, never as markup: device names, error messages and broker
// tickets come from EAs and signals, so nothing here parses HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function apply(element, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "on") {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (key === "class") {
      element.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
    } else {
      element.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

// h("td", {class: "num"}, "1.10012"): an HTML element with attributes,
// listeners (props.on) and children (nodes, or anything else as text).
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  apply(element, props);
  append(element, children);
  return element;
}

// The same for SVG elements (the slippage chart).
export function s(tag, props, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, props);
  append(element, children);
  return element;
}

// A table from column headings and rows of cells (nodes or text).
export function table(headings, rows, empty = "Nothing to show.") {
  if (rows.length === 0) return h("p", { class: "muted" }, empty);
  return h("div", { class: "table-wrap" },
    h("table", null, h("thead", null, h("tr", null, headings.map((t) => h("th", null, t)))), h("tbody", null, rows)));
}

// An id cut to its kind and first characters ("pos_2de06a77…"), whole in
// its tooltip; a link when given one.
export function shortId(id, href = undefined) {
  if (id === null || id === undefined) return "";
  const short = id.length > 16 ? id.slice(0, 12) + "…" : id;
  return href ? h("a", { href, title: id }, short) : h("span", { title: id }, short);
}

// An audit row's detail as one line of JSON; "" when it says nothing.
export function detailText(detail) {
  if (detail === null || detail === undefined) return "";
  if (typeof detail !== "object") return String(detail);
  return Object.keys(detail).length ? JSON.stringify(detail) : "";
}

// "1.2 s", "3 min", "2 h".
export function duration(ms) {
  const seconds = Math.max(0, ms / 1000);
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

// The time since a unix ms time; "never" for none.
export function age(unixMs, now = Date.now()) {
  return unixMs ? duration(now - unixMs) : "never";
}

// A unix ms time as "2026-12-06 13:53:36.123" (UTC), or "" for none.
export function time(unixMs) {
  if (!unixMs) return "";
  return new Date(unixMs).toISOString().replace("T", " ").replace("Z", "");
}

// Runs a page's refresh now (a filter changed) rather than at the next
// tick; a failure is not lost: the next 1 s refresh meets and reports it.
export function refreshNow(refresh) {
  refresh().catch(() => {});
}

export function text(value) {
  return value === null || value === undefined ? "" : String(value);
}

export function stateBadge(state) {
  return h("span", { class: ["badge", `state-${state}`], "data-state": state }, state);
}
