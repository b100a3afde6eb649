// Devices: each client's EA terminals (GET /clients, then
// GET /clients/{id}/devices), when each was last seen, which are silent
// while holding positions (GET /alerts), and deactivation confirmed in the
// page (POST /devices/{id}/deactivate).
import { admin, query } from "../api.js";
import { age, h, shortId, table, text } from "../dom.js";

function deactivateControl(device, confirming, draw, report) {
  if (!device.active) return h("span", { class: "muted" }, "inactive");
  const id = device.device_id;
  if (!confirming.has(id))
    return h("button", { type: "button", "data-action": "deactivate", on: { click: () => { confirming.add(id); draw(); } } }, "Deactivate…");
  const confirm = async () => {
    confirming.delete(id);
    try {
      await admin("POST", "/devices/" + encodeURIComponent(id) + "/deactivate", {});
      report("device " + id + " deactivated: its requests are refused from now on", "ok");
    } catch (error) {
      report("deactivating " + id + " refused: " + error.message, "bad");
    }
    draw();
  };
  return h("span", null, "Refuse its requests from now on? ",
    h("button", { type: "button", class: "danger", "data-action": "confirm-deactivate", on: { click: confirm } }, "Deactivate"),
    " ", h("button", { type: "button", on: { click: () => { confirming.delete(id); draw(); } } }, "Cancel"));
}

export default function devices(container) {
  const confirming = new Set();
  const message = h("p", { class: "message" });
  const results = h("div");
  let last = null;
  const report = (line, kind) => { message.textContent = line; message.className = "message " + kind; };
  const draw = () => {
    if (!last) return;
    const { clients, silent } = last;
    const now = Date.now();
    const rows = [];
    for (const [client, list] of clients)
      for (const d of list)
        rows.push(h("tr", { "data-device-id": d.device_id },
          h("td", { class: "wrap" }, text(client.name)),
          h("td", { class: "wrap", "data-field": "name" }, text(d.name)),
          h("td", null, shortId(d.device_id)),
          h("td", { class: "num" }, age(d.last_seen, now)),
          h("td", { class: silent.has(d.device_id) ? "bad" : "" }, silent.has(d.device_id) ? "silent" : ""),
          h("td", null, deactivateControl(d, confirming, draw, report))));
    results.replaceChildren(table(["client", "device", "id", "last seen", "", ""], rows, "No devices yet."));
  };
  container.replaceChildren(h("h1", null, "Devices"), message, results);
  return {
    async refresh() {
      const [clients, alerts] = await Promise.all([admin("GET", "/clients" + query({ limit: 100 })), admin("GET", "/alerts")]);
      const lists = await Promise.all(clients.items.map((c) =>
        admin("GET", "/clients/" + encodeURIComponent(c.client_id) + "/devices" + query({ limit: 100 }))));
      last = { clients: clients.items.map((c, i) => [c, lists[i].items]), silent: new Set(alerts.silent_devices) };
      draw();
    },
  };
}
