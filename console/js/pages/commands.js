// Close commands: pending, overdue, expired, re-issued (GET /close-commands,
// filtered by state and overdue).
import { admin, query } from "../api.js";
import { age, h, refreshNow, shortId, table, text, time } from "../dom.js";

const STATES = ["", "pending", "acknowledged", "executed", "failed", "expired"];

function row(c, now) {
  return h("tr", { "data-command-id": c.command_id, "data-status": c.status },
    h("td", null, shortId(c.command_id)),
    h("td", null, shortId(c.position_id, "#/positions/" + encodeURIComponent(c.position_id))),
    h("td", null, shortId(c.device_id)),
    h("td", null, c.reason),
    h("td", { class: c.status === "expired" || c.status === "failed" ? "bad" : "" }, c.status),
    h("td", { class: "num" }, text(c.attempt)),
    h("td", { class: c.overdue ? "bad" : "muted" }, c.overdue ? "overdue" : ""),
    h("td", { class: "num" }, text(c.expected_price)),
    h("td", null, time(c.created_at)),
    h("td", { class: "num" }, age(c.created_at, now)),
    h("td", { class: "wrap" }, text(c.error_message)));
}

export default function commands(container) {
  const filters = { state: "", overdue: "" };
  const results = h("div");
  const refresh = async () => {
    const answer = await admin("GET", "/close-commands" + query({ ...filters, limit: 100 }));
    const now = Date.now();
    results.replaceChildren(table(["command", "position", "device", "reason", "status", "attempt", "", "expected",
      "created", "age", "error"], answer.items.map((c) => row(c, now)), "No close command matches."));
  };
  const state = h("select", { on: { change: (e) => { filters.state = e.target.value; refreshNow(refresh); } } },
    STATES.map((s) => h("option", { value: s }, s || "any")));
  const overdue = h("input", { type: "checkbox", on: { change: (e) => { filters.overdue = e.target.checked ? "true" : ""; refreshNow(refresh); } } });
  container.replaceChildren(h("h1", null, "Close commands"),
    h("form", { class: "filters", on: { submit: (e) => e.preventDefault() } },
      h("label", null, "state", state), h("label", null, "overdue only", overdue)),
    results);
  return { refresh };
}
