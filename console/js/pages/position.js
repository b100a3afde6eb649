// One position: every field (hidden levels and rule states included), its
// close commands, and its timeline from the audit rows
// (GET /audit?position_id=), in the order they were written.
import { admin, query } from "../api.js";
import { detailText, h, stateBadge, table, text, time } from "../dom.js";
import { closeControl } from "./close_button.js";

const FIELDS = ["position_id", "signal_id", "client_id", "device_id", "instrument", "side", "volume", "filled_volume",
  "entry_price", "actual_entry_price", "owner_sl", "owner_tp", "catastrophe_sl", "close_price", "close_reason",
  "execution_id", "broker_ticket", "error_message"];

function fields(p) {
  const rows = [h("dt", null, "state"), h("dd", null, stateBadge(p.state))];
  for (const name of FIELDS) {
    if (p[name] === undefined || p[name] === null) continue;
    rows.push(h("dt", null, name), h("dd", { "data-field": name }, text(p[name])));
  }
  for (const name of ["created_at", "opened_at", "closed_at"])
    if (p[name]) rows.push(h("dt", null, name), h("dd", null, time(p[name])));
  for (const [rule, state] of Object.entries(p.rule_states || {}))
    rows.push(h("dt", null, rule), h("dd", null, h("code", null, state)));
  return h("dl", { class: "fields" }, rows);
}

function commandRows(commands) {
  return commands.map((c) =>
    h("tr", { "data-command-id": c.command_id },
      h("td", null, c.command_id),
      h("td", null, c.reason),
      h("td", null, c.status),
      h("td", { class: "num" }, text(c.attempt)),
      h("td", { class: "num" }, text(c.expected_price)),
      h("td", { class: "num" }, text(c.actual_close_price)),
      h("td", null, time(c.created_at)),
      h("td", { class: "wrap" }, text(c.error_message))));
}

function timeline(rows) {
  if (!rows.length) return h("p", { class: "muted" }, "No audit rows yet.");
  return h("ol", { class: "timeline" }, rows.map((r) =>
    h("li", { "data-action": r.action },
      h("div", { class: "when" }, time(r.at), " · #", String(r.seq), " · ", r.entity, " ", r.entity_id),
      h("strong", null, r.action), " ",
      detailText(r.detail) ? h("code", null, detailText(r.detail)) : "")));
}

export default function position(container, positionId) {
  const confirming = new Set();
  const message = h("p", { class: "message" });
  const body = h("div");
  let last = null;
  const report = (line, kind) => { message.textContent = line; message.className = "message " + kind; };
  const draw = () => {
    if (!last) return;
    const [p, audit] = last;
    body.replaceChildren(
      fields(p),
      p.state === "open" ? h("p", null, closeControl(p.position_id, confirming, draw, report)) : "",
      h("h2", null, "Close commands"),
      table(["command", "reason", "status", "attempt", "expected", "closed at", "created", "error"], commandRows(p.close_commands), "None."),
      h("h2", null, "Timeline"),
      timeline(audit.items));
  };
  container.replaceChildren(h("h1", null, "Position ", positionId), h("p", null, h("a", { href: "#/positions" }, "← positions")), message, body);
  return {
    async refresh() {
      const id = encodeURIComponent(positionId);
      last = await Promise.all([admin("GET", "/positions/" + id), admin("GET", "/audit" + query({ position_id: positionId, limit: 500 }))]);
      draw();
    },
  };
}
