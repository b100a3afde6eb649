// The slippage report (GET /reports/slippage) as a bar chart drawn here in
// SVG: for each instrument and device, the average entry slippage, close
// slippage against the trigger price, and gap between trigger and level,
// in points (positive: worse for the client).
import { admin } from "../api.js";
import { h, s, table, text } from "../dom.js";

const KINDS = [["entry", "bar-entry"], ["close", "bar-close"], ["gap", "bar-gap"]];
// Pixels: a bar's height, the space between groups, the row labels' column,
// the room left at each end for a bar's value, the whole width.
const BAR = 12, GROUP_GAP = 14, LABEL = 220, VALUE_ROOM = 56, WIDTH = 760;

function chart(rows) {
  const values = rows.flatMap((r) => KINDS.map(([k]) => (r[k] ? r[k].average_points : 0)));
  const extent = Math.max(1, ...values.map(Math.abs));
  const half = (WIDTH - LABEL - 2 * VALUE_ROOM) / 2;
  const zero = LABEL + VALUE_ROOM + half;
  const scale = half / extent;
  const groupHeight = KINDS.length * BAR + GROUP_GAP;
  const height = rows.length * groupHeight + 30;
  const parts = [s("line", { class: "axis", x1: zero, x2: zero, y1: 0, y2: height - 20 })];
  rows.forEach((r, i) => {
    const top = i * groupHeight + 4;
    parts.push(s("text", { x: 4, y: top + BAR * 2 }, `${r.instrument} · ${r.device_id}`));
    KINDS.forEach(([kind, cls], j) => {
      const value = r[kind] ? r[kind].average_points : 0;
      const length = Math.abs(value) * scale;
      const y = top + j * BAR;
      parts.push(s("rect", { class: cls, x: value >= 0 ? zero : zero - length, y, width: Math.max(length, 0.5), height: BAR - 2 },
        s("title", null, `${kind}: ${r[kind] ? r[kind].average_points.toFixed(2) + " points average over " + r[kind].count + ", worst " + r[kind].worst_points : "none"}`)));
      if (r[kind]) {
        const x = value >= 0 ? zero + length + 4 : zero - length - 4;
        parts.push(s("text", { x, y: y + BAR - 3, "text-anchor": value >= 0 ? "start" : "end" }, value.toFixed(1)));
      }
    });
  });
  parts.push(s("text", { x: zero, y: height - 6, "text-anchor": "middle" }, "0"),
    s("text", { x: zero + half, y: height - 6, "text-anchor": "end" }, `+${extent.toFixed(1)} pts`),
    s("text", { x: zero - half, y: height - 6 }, `-${extent.toFixed(1)} pts`));
  return s("svg", { class: "chart", width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": "slippage by instrument and device" }, parts);
}

const cell = (stat) => (stat ? `${stat.average_points.toFixed(2)} (${stat.count}, worst ${stat.worst_points})` : "");

export default function slippage(container) {
  return {
    async refresh() {
      const report = await admin("GET", "/reports/slippage");
      container.replaceChildren(
        h("h1", null, "Slippage"),
        h("p", { class: "legend" }, KINDS.map(([kind, cls]) => h("span", null, h("span", { class: ["swatch", cls] }), kind)),
          h("span", { class: "muted" }, "average points; positive is worse for the client")),
        report.rows.length ? chart(report.rows) : h("p", { class: "muted" }, "No executions yet."),
        h("h2", null, "Figures"),
        table(["instrument", "device", "entry", "close", "gap"], report.rows.map((r) =>
          h("tr", null, h("td", null, r.instrument), h("td", null, text(r.device_id)), h("td", null, cell(r.entry)),
            h("td", null, cell(r.close)), h("td", null, cell(r.gap)))), "No executions yet."));
    },
  };
}
