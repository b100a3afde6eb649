// The audit log a page at a time (GET /audit, oldest first) and whether
// its hash chain verifies up to the rows shown.
import { admin, query } from "../api.js";
import { detailText, h, refreshNow, table, text, time } from "../dom.js";

function chainCard(chain) {
  const label = chain.verified
    ? `hash chain verified through #${text(chain.verified_through)}`
    : `broken at #${text(chain.broken_at)}: ${text(chain.error)}`;
  return h("div", { class: "card", "data-card": "chain" },
    h("div", { class: ["value", chain.verified ? "ok" : "bad"] }, chain.verified ? "verified" : "broken"),
    h("div", { class: "label" }, label));
}

function row(r) {
  const detail = detailText(r.detail);
  return h("tr", { "data-seq": r.seq },
    h("td", { class: "num" }, String(r.seq)), h("td", null, time(r.at)), h("td", null, r.entity),
    h("td", null, r.entity_id), h("td", null, r.action), h("td", { class: "wrap" }, detail ? h("code", null, detail) : ""));
}

export default function audit(container) {
  const pages = [""]; // the cursor of each page visited: Back returns to the one before
  const body = h("div");
  const move = (cursor) => { if (cursor === null) pages.pop(); else pages.push(cursor); refreshNow(refresh); };
  async function refresh() {
    const cursor = pages[pages.length - 1];
    const answer = await admin("GET", "/audit" + query({ cursor, limit: 100 }));
    body.replaceChildren(
      h("div", { class: "cards" }, chainCard(answer.chain)),
      h("p", null,
        pages.length > 1 ? h("button", { type: "button", on: { click: () => move(null) } }, "← earlier") : "", " ",
        answer.next_cursor ? h("button", { type: "button", on: { click: () => move(answer.next_cursor) } }, "later →") : ""),
      table(["#", "time", "entity", "id", "action", "detail"], answer.items.map(row), "No audit rows."));
  }
  container.replaceChildren(h("h1", null, "Audit"), body);
  return { refresh };
}
