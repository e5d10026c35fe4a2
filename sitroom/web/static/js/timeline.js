// The timeline: merged events per day (or week, or month, as the server buckets them), stacked by type, in
// plain SVG. Drag across it to filter on a period; click a bar for that day (or week, or month).

import { isAbort, latest } from "./api.js";
import { TYPES, typeColour } from "./palette.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 170;
const MARGIN = { top: 8, right: 12, bottom: 22, left: 34 };
const DAY = 86400000;

function svg(name, attributes = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (time) => new Date(time).toISOString().slice(0, 10);

function bucketEnd(start, bucket) {
  const date = new Date(toTime(start));
  if (bucket === "week") return toTime(start) + 7 * DAY;
  if (bucket === "month") return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return toTime(start) + DAY;
}

// Calendar-aligned ticks: days, Mondays, month starts (every k months) or year starts (every k years).
function ticks(from, to, width) {
  const wanted = Math.max(2, Math.floor(width / 80));
  const days = (to - from) / DAY;
  const found = [];
  if (days <= wanted) {
    for (let t = from; t <= to; t += DAY) found.push(t);
    return { unit: "day", found };
  }
  if (days / 7 <= wanted) {
    const monday = from + ((8 - new Date(from).getUTCDay()) % 7) * DAY;
    for (let t = monday; t <= to; t += 7 * DAY) found.push(t);
    return { unit: "day", found };
  }
  const first = new Date(from);
  const months = days / 30.44;
  if (months / 12 <= wanted && months <= wanted * 6) {
    const every = [1, 2, 3, 6].find((k) => months / k <= wanted) || 6;
    for (let m = first.getUTCMonth() + 1; ; m += 1) {
      const t = Date.UTC(first.getUTCFullYear(), m, 1);
      if (t > to) break;
      if (new Date(t).getUTCMonth() % every === 0) found.push(t);
    }
    return { unit: "month", found };
  }
  const every = Math.max(1, Math.ceil(months / 12 / wanted));
  for (let y = first.getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= to; y += 1) {
    if (y % every === 0) found.push(Date.UTC(y, 0, 1));
  }
  return { unit: "year", found };
}

export class Timeline {
  constructor(element, { onRange }) {
    this.element = element;
    this.fetch = latest();
    this.onRange = onRange;
    window.addEventListener("resize", () => this.data && this.draw(this.data));
  }

  async update(filters) {
    this.element.dataset.state = "loading";
    try {
      this.data = await this.fetch("/timeline", filters);
    } catch (error) {
      if (isAbort(error)) return;
      this.element.dataset.state = "error";
      throw error;
    }
    this.draw(this.data);
  }

  draw(data) {
    this.element.replaceChildren();
    const width = Math.max(320, this.element.clientWidth);
    const root = svg("svg", { width, height: HEIGHT, role: "img", "aria-label": "events per day by type" },
      this.element);
    const summary = document.getElementById("timeline-summary");
    const undated = data.undated ? `, ${data.undated} undated` : "";
    summary.textContent = `${data.total} dated events by ${data.bucket}${undated}`;
    if (!data.buckets.length) {
      svg("text", { x: width / 2, y: HEIGHT / 2, "text-anchor": "middle", class: "empty" }, root)
        .textContent = "no dated events";
      Object.assign(this.element.dataset, { state: "ready", bars: "0", total: "0" });
      return;
    }
    const from = toTime(data.start);
    const to = bucketEnd(data.end, data.bucket);
    const plot = { w: width - MARGIN.left - MARGIN.right, h: HEIGHT - MARGIN.top - MARGIN.bottom };
    const x = (t) => MARGIN.left + ((t - from) / (to - from)) * plot.w;
    const most = Math.max(...data.buckets.map((b) => b.total));
    const y = (n) => (n / most) * plot.h;
    this.axes(root, from, to, most, x, plot);
    const bars = svg("g", { class: "bars" }, root);
    let count = 0;
    for (const bucket of data.buckets) {
      const left = x(toTime(bucket.date));
      const barWidth = Math.max(1.5, x(bucketEnd(bucket.date, data.bucket)) - left - 1);
      const group = svg("g", { class: "bar", "data-date": bucket.date, "data-total": bucket.total }, bars);
      svg("title", {}, group).textContent = `${bucket.date}: ${bucket.total} — ` +
        Object.entries(bucket.by_type).map(([t, n]) => `${t} ${n}`).join(", ");
      let base = MARGIN.top + plot.h;
      for (const type of TYPES.filter((t) => bucket.by_type[t])) {
        const height = y(bucket.by_type[type]);
        svg("rect", { x: left, y: base - height, width: barWidth, height: Math.max(height, 0.5),
          fill: typeColour(type), "data-type": type }, group);
        base -= height;
      }
      group.addEventListener("click", () => {
        const end = bucketEnd(bucket.date, data.bucket) - DAY;
        this.onRange(bucket.date, toIso(end));
      });
      count += 1;
    }
    this.brush(root, from, to, plot);
    Object.assign(this.element.dataset, { state: "ready", bars: String(count), total: String(data.total) });
  }

  axes(root, from, to, most, x, plot) {
    const axis = svg("g", { class: "axis" }, root);
    const bottom = MARGIN.top + plot.h;
    svg("line", { x1: MARGIN.left, x2: MARGIN.left + plot.w, y1: bottom, y2: bottom }, axis);
    const { unit, found } = ticks(from, to, plot.w);
    for (const t of found) {
      svg("line", { x1: x(t), x2: x(t), y1: bottom, y2: bottom + 4 }, axis);
      const label = svg("text", { x: x(t), y: bottom + 16, "text-anchor": "middle" }, axis);
      label.textContent = unit === "year" ? toIso(t).slice(0, 4) : unit === "month" ? toIso(t).slice(0, 7)
        : toIso(t).slice(5);
    }
    svg("text", { x: MARGIN.left - 6, y: MARGIN.top + 8, "text-anchor": "end" }, axis).textContent = String(most);
    svg("text", { x: MARGIN.left - 6, y: bottom, "text-anchor": "end" }, axis).textContent = "0";
  }

  // Drag across the chart to choose a period.
  brush(root, from, to, plot) {
    const band = svg("rect", { class: "brush", y: MARGIN.top, height: plot.h, width: 0, x: 0 }, root);
    const time = (event) => {
      const box = root.getBoundingClientRect();
      const px = Math.max(MARGIN.left, Math.min(MARGIN.left + plot.w, event.clientX - box.left));
      return from + ((px - MARGIN.left) / plot.w) * (to - from);
    };
    let start = null;
    root.addEventListener("mousedown", (event) => {
      start = { t: time(event), x: event.clientX - root.getBoundingClientRect().left };
    });
    root.addEventListener("mousemove", (event) => {
      if (!start) return;
      const now = event.clientX - root.getBoundingClientRect().left;
      band.setAttribute("x", Math.min(start.x, now));
      band.setAttribute("width", Math.abs(now - start.x));
    });
    root.addEventListener("mouseup", (event) => {
      if (!start) return;
      const end = time(event);
      const moved = Math.abs(event.clientX - root.getBoundingClientRect().left - start.x) > 4;
      const first = Math.min(start.t, end);
      const last = Math.max(start.t, end);
      start = null;
      band.setAttribute("width", 0);
      if (moved) this.onRange(toIso(first), toIso(last));
    });
  }
}
