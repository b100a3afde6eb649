// A manual close, confirmed in the page: "Close…" asks, "Confirm close"
// posts POST /positions/{id}/close. Which position is being confirmed
// lives in `pending` (a Set shared by the page), so the 1 s refresh redraws
// the question instead of losing it.
import { admin } from "../api.js";
import { h } from "../dom.js";

export function closeControl(positionId, pending, redraw, report) {
  if (!pending.has(positionId)) {
    return h("button", {
      type: "button", "data-action": "close",
      on: { click: () => { pending.add(positionId); redraw(); } },
    }, "Close…");
  }
  const confirm = async () => {
    pending.delete(positionId);
    try {
      const answer = await admin("POST", "/positions/" + encodeURIComponent(positionId) + "/close", {});
      report("close command " + answer.command_id + " issued for " + positionId, "ok");
    } catch (error) {
      report("close of " + positionId + " refused: " + error.message, "bad");
    }
    redraw();
  };
  return h("span", null, "Close at market? ",
    h("button", { type: "button", class: "danger", "data-action": "confirm-close", on: { click: confirm } }, "Confirm close"),
    " ",
    h("button", { type: "button", on: { click: () => { pending.delete(positionId); redraw(); } } }, "Cancel"));
}
