// Overview: is the server healthy, are prices flowing, what needs an
// operator now. Health from GET /api/v1/admin/health, prices from
// GET /instruments, alerts from GET /alerts, breaches per minute from the
// vigil_breaches_total counter of /metrics. A tick's age is the server's
// count, so the browser's clock does not matter there.
import { admin, metrics } from "../api.js";
import { age, duration, h, table, text, time } from "../dom.js";

const WINDOW_MS = 60_000;

function card(label, value, kind = "", id = undefined) {
  return h("div", { class: "card", "data-card": id }, h("div", { class: ["value", kind] }, value), h("div", { class: "label" }, label));
}

// Breaches in the last minute, from samples of the counter kept while the
// page is open (the first minute says how long it has watched).
class BreachRate {
  samples = [];
  add(total, now = Date.now()) {
    this.samples.push([now, total]);
    while (this.samples.length > 1 && now - this.samples[1][0] >= WINDOW_MS) this.samples.shift();
  }
  describe() {
    const [first, last] = [this.samples[0], this.samples[this.samples.length - 1]];
    const seconds = Math.round((last[0] - first[0]) / 1000);
    const count = last[1] - first[1];
    return seconds >= 59 ? [String(count), "breaches in the last minute"] : [String(count), `breaches in the last ${seconds} s`];
  }
}

function feedRows(feeds, now) {
  return (feeds || []).map((f) =>
    h("tr", { "data-feed": f.name },
      h("td", null, f.name),
      h("td", { class: f.running ? "ok" : "bad" }, f.running ? "running" : "stopped"),
      h("td", { class: f.connected ? "ok" : "bad" }, f.connected ? "connected" : "disconnected"),
      h("td", { class: "num" }, text(f.ticks_published)),
      h("td", { class: "num" }, f.last_tick_unix_ms ? age(f.last_tick_unix_ms, now) : "no tick yet"),
      h("td", { class: "num" }, text(f.rows_skipped)),
      h("td", { class: "wrap error" }, text(f.error))));
}

function instrumentRows(instruments) {
  return instruments.map((i) =>
    h("tr", { "data-instrument": i.instrument },
      h("td", null, i.instrument),
      h("td", { class: "num", "data-field": "bid" }, text(i.bid)),
      h("td", { class: "num", "data-field": "ask" }, text(i.ask)),
      h("td", { class: "num" }, i.tick_age_ms === null ? "no tick yet" : duration(i.tick_age_ms)),
      h("td", null, text(i.active_source)),
      h("td", { class: i.stale ? "bad" : "ok" }, i.stale ? "stale" : "fresh")));
}

function alertSections(alerts) {
  const overdue = alerts.overdue_commands.map((id) => h("li", null, h("a", { href: "#/commands" }, id)));
  const silent = alerts.silent_devices.map((id) => h("li", null, h("a", { href: "#/devices" }, id)));
  const failing = alerts.failing_rules.map((f) =>
    h("tr", null,
      h("td", null, h("a", { href: "#/positions/" + encodeURIComponent(f.position_id) }, f.position_id)),
      h("td", null, f.rule),
      h("td", { class: "num" }, String(f.failures)),
      h("td", null, time(f.since)),
      h("td", { class: "wrap" }, f.error)));
  return [
    h("h2", null, "Overdue close commands"),
    overdue.length ? h("ul", null, overdue) : h("p", { class: "muted" }, "None."),
    h("h2", null, "Silent devices holding positions"),
    silent.length ? h("ul", null, silent) : h("p", { class: "muted" }, "None."),
    h("h2", null, "Failing rules"),
    table(["position", "rule", "failures", "since", "last error"], failing, "None."),
  ];
}

export default function overview(container) {
  const breaches = new BreachRate();
  return {
    async refresh() {
      const [health, alerts, samples, instruments] = await Promise.all([
        admin("GET", "/health"),
        admin("GET", "/alerts"),
        metrics(),
        admin("GET", "/instruments"),
      ]);
      const now = Date.now();
      breaches.add(samples.get("vigil_breaches_total") || 0, now);
      const [breachCount, breachLabel] = breaches.describe();
      const alertCount = alerts.overdue_commands.length + alerts.silent_devices.length + alerts.failing_rules.length;
      const store = health.store;
      container.replaceChildren(
        h("h1", null, "Overview"),
        h("div", { class: "cards" },
          card("health", health.status, health.status === "ok" ? "ok" : "bad", "health"),
          card("store", store ? (store.ok ? store.name + " ok" : store.name + " failing") : "none", store && !store.ok ? "bad" : "ok"),
          card("instruments", String(health.instruments)),
          card("stale instruments", String(health.stale_instruments.length), health.stale_instruments.length ? "bad" : "ok"),
          card(breachLabel, breachCount, "", "breaches"),
          card("alerts", String(alertCount), alertCount ? "warn" : "ok", "alerts")),
        h("h2", null, "Instruments"),
        table(["instrument", "bid", "ask", "last tick", "source", ""], instrumentRows(instruments.items)),
        h("h2", null, "Feeds"),
        table(["feed", "", "", "ticks", "last tick", "rows skipped", "error"], feedRows(health.feeds, now), "No feeds configured."),
        ...alertSections(alerts));
    },
  };
}
