// The event table: one merged event a row, a page at a time from the server (never all of them), sortable by
// date, fatalities and sources. Click a row for its reports: each article's sentence, and a link to the
// article with the event's evidence highlighted.

import { get, isAbort, latest } from "./api.js";
import { typeColour } from "./palette.js";

const PAGE = 25;

function cell(row, text, className = "") {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function dates(event) {
  if (!event.date_start) return "undated";
  return event.date_end && event.date_end !== event.date_start ? `${event.date_start} – ${event.date_end}`
    : event.date_start;
}

function place(event) {
  if (!event.place_name) return event.country || "";
  return event.approximate ? `somewhere in ${event.place_name}` : `${event.place_name}, ${event.country || "?"}`;
}

function killed(event) {
  if (event.fatalities == null) return "";
  const low = event.fatalities_low;
  const high = event.fatalities_high;
  return low != null && high != null && low !== high ? `${event.fatalities} (${low}–${high})` : String(event.fatalities);
}

export class EventTable {
  constructor(element, { onOpenArticle }) {
    this.element = element;
    this.body = element.querySelector("tbody");
    this.fetch = latest();
    this.onOpenArticle = onOpenArticle;
    this.sort = "date";
    this.order = "desc";
    this.offset = 0;
    element.querySelectorAll("button[data-sort]").forEach((button) => {
      button.addEventListener("click", () => {
        const sort = button.dataset.sort;
        this.order = this.sort === sort && this.order === "desc" ? "asc" : "desc";
        this.sort = sort;
        this.offset = 0;
        this.load();
      });
    });
    element.querySelector("[data-page=prev]").addEventListener("click", () => this.page(-1));
    element.querySelector("[data-page=next]").addEventListener("click", () => this.page(1));
  }

  update(filters) {
    this.filters = filters;
    this.offset = 0;
    return this.load();
  }

  page(step) {
    const next = this.offset + step * PAGE;
    if (next < 0 || next >= (this.total || 0)) return;
    this.offset = next;
    this.load();
  }

  async load() {
    this.element.dataset.state = "loading";
    let page;
    try {
      page = await this.fetch("/events", { ...this.filters, limit: PAGE, offset: this.offset, sort: this.sort,
        order: this.order });
    } catch (error) {
      if (isAbort(error)) return;
      this.element.dataset.state = "error";
      throw error;
    }
    this.total = page.total;
    this.body.replaceChildren(...page.items.map((event) => this.row(event)));
    const last = Math.min(page.offset + page.items.length, page.total);
    this.element.querySelector(".range").textContent =
      page.total ? `${page.offset + 1}–${last} of ${page.total}` : "no events";
    document.getElementById("table-summary").textContent = `${page.total} merged events`;
    this.element.querySelectorAll("button[data-sort]").forEach((button) => {
      button.dataset.active = button.dataset.sort === this.sort ? this.order : "";
    });
    Object.assign(this.element.dataset, { state: "ready", rows: String(page.items.length),
      total: String(page.total) });
  }

  row(event) {
    const tr = document.createElement("tr");
    tr.className = "event-row";
    tr.dataset.id = event.id;
    tr.tabIndex = 0;
    cell(tr, dates(event), "nowrap");
    const type = cell(tr, event.type, "type");
    type.style.setProperty("--type", typeColour(event.type));
    type.title = [event.mode, event.acled_sub_event_type].filter(Boolean).join(" · ");
    cell(tr, [event.actor_name || "?", event.target_name].filter(Boolean).join(" → "));
    cell(tr, place(event));
    cell(tr, killed(event), "number");
    cell(tr, `${event.sources}${event.reports > event.sources ? ` (${event.reports} articles)` : ""}`, "number");
    const open = () => this.toggle(tr, event);
    tr.addEventListener("click", open);
    tr.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
    return tr;
  }

  async toggle(tr, event) {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains("detail")) {
      next.remove();
      return;
    }
    const detail = document.createElement("tr");
    detail.className = "detail";
    const td = document.createElement("td");
    td.colSpan = 6;
    td.textContent = "loading…";
    detail.appendChild(td);
    tr.after(detail);
    const full = await get(`/events/${encodeURIComponent(event.id)}`);
    td.replaceChildren(...full.reports_detail.map((report) => this.report(report)));
  }

  report(report) {
    const block = document.createElement("div");
    block.className = "report";
    const head = document.createElement("div");
    head.className = "report-head";
    head.textContent = `${report.source || "unknown source"}, ${report.published || "undated"}` +
      (report.fatalities != null ? ` · ${report.fatalities} killed` : "") + ` · ${report.status}`;
    const link = document.createElement("button");
    link.type = "button";
    link.className = "link";
    link.textContent = "open the article →";
    link.addEventListener("click", () => this.onOpenArticle(report.article_id, report.event_id));
    head.appendChild(link);
    const sentence = document.createElement("blockquote");
    sentence.textContent = report.sentence || "";
    block.append(head, sentence);
    return block;
  }
}
