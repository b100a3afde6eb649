// Positions: filtered by client, device, state and instrument (GET
// /positions, first page of 100), states updated every second, the hidden
// levels shown (the operator may see them; the EA never does), a manual
// close confirmed in the page.
import { admin, query } from "../api.js";
import { age, h, refreshNow, shortId, stateBadge, table, text } from "../dom.js";
import { closeControl } from "./close_button.js";

const STATES = ["", "pending", "acknowledged", "open", "closing", "closed", "rejected"];
const FILTERS = ["client_id", "device_id", "instrument"];

function filterForm(filters, changed) {
  const input = (name) =>
    h("label", null, name, h("input", {
      name, value: filters[name], size: 24,
      on: { change: (e) => { filters[name] = e.target.value.trim(); changed(); } },
    }));
  const state = h("select", { name: "state", on: { change: (e) => { filters.state = e.target.value; changed(); } } },
    STATES.map((s) => h("option", { value: s, selected: s === filters.state }, s || "any")));
  return h("form", { class: "filters", on: { submit: (e) => e.preventDefault() } },
    FILTERS.map(input), h("label", null, "state", state));
}

function row(p, now, control) {
  return h("tr", { "data-position-id": p.position_id, "data-state": p.state },
    h("td", null, shortId(p.position_id, "#/positions/" + encodeURIComponent(p.position_id))),
    h("td", null, shortId(p.client_id)),
    h("td", null, shortId(p.device_id)),
    h("td", null, p.instrument),
    h("td", null, p.side),
    h("td", { class: "num" }, text(p.volume)),
    h("td", null, stateBadge(p.state)),
    h("td", { class: "num" }, text(p.actual_entry_price ?? p.entry_price)),
    h("td", { class: "num" }, text(p.owner_sl)),
    h("td", { class: "num" }, text(p.owner_tp)),
    h("td", null, text(p.broker_ticket)),
    h("td", { class: "num" }, age(p.created_at, now)),
    h("td", null, p.state === "open" ? control(p.position_id) : ""));
}

export default function positions(container) {
  const filters = { client_id: "", device_id: "", instrument: "", state: "" };
  const confirming = new Set();
  const results = h("div");
  const message = h("p", { class: "message" });
  let last = null;

  const report = (textLine, kind) => { message.textContent = textLine; message.className = "message " + kind; };
  const draw = () => {
    if (!last) return;
    const now = Date.now();
    const control = (id) => closeControl(id, confirming, draw, report);
    results.replaceChildren(
      table(["position", "client", "device", "instrument", "side", "volume", "state", "entry", "stop (hidden)",
             "target (hidden)", "ticket", "age", ""],
        last.items.map((p) => row(p, now, control)), "No position matches."),
      last.next_cursor ? h("p", { class: "muted" }, "More than the first 100: narrow the filters.") : "");
  };
  const refresh = async () => {
    last = await admin("GET", "/positions" + query({ ...filters, limit: 100 }));
    draw();
  };
  container.replaceChildren(h("h1", null, "Positions"), filterForm(filters, () => refreshNow(refresh)), message, results);
  return { refresh };
}
