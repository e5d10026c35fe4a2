// The article view: the text with actors, event triggers (and further mentions of the same event), dates and
// places highlighted, beside the article's events. Click an event to see its evidence in the text; click a
// highlighted trigger to find its event. Used for stored articles and for the paste box alike.

import { typeColour } from "./palette.js";

const KINDS = [["trigger", "event trigger"], ["mention", "same event again"], ["actor", "actor"], ["date", "date"],
  ["place", "place"]];

function element(name, className = "", text = null) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text !== null) node.textContent = text;
  return node;
}

// Split the text at every annotation boundary; each piece carries the kinds, events and actors covering it.
export function segments(text, annotations) {
  const cuts = new Set([0, text.length]);
  for (const a of annotations) {
    cuts.add(Math.max(0, Math.min(text.length, a.start)));
    cuts.add(Math.max(0, Math.min(text.length, a.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = annotations.filter((a) => a.start <= from && a.end >= to);
    pieces.push({ from, to, text: text.slice(from, to), covering });
  }
  return pieces;
}

function textWithHighlights(text, annotations, types) {
  const body = element("div", "article-text");
  for (const piece of segments(text, annotations)) {
    if (!piece.covering.length) {
      body.appendChild(document.createTextNode(piece.text));
      continue;
    }
    const span = element("span", "ann", piece.text);
    const kinds = new Set(piece.covering.map((a) => a.kind));
    kinds.forEach((kind) => span.classList.add(kind));
    const events = [...new Set(piece.covering.map((a) => a.event_id).filter(Boolean))];
    const actors = [...new Set(piece.covering.map((a) => a.actor_id).filter(Boolean))];
    if (events.length) span.dataset.events = events.join(" ");
    if (actors.length) span.dataset.actors = actors.join(" ");
    const trigger = piece.covering.find((a) => a.kind === "trigger" || a.kind === "mention");
    if (trigger) span.style.setProperty("--type", typeColour(types[trigger.event_id]));
    span.title = piece.covering.map((a) => `${a.kind}${a.label ? `: ${a.label}` : ""}`).join("\n");
    body.appendChild(span);
  }
  return body;
}

function eventLine(event) {
  const item = element("li", "event");
  item.dataset.event = event.id;
  item.tabIndex = 0;
  const type = element("span", "type", event.type);
  type.style.setProperty("--type", typeColour(event.type));
  const who = [event.actor || "?", event.target].filter(Boolean).join(" → ");
  const when = event.date_start ? (event.date_end && event.date_end !== event.date_start
    ? `${event.date_start} – ${event.date_end}` : event.date_start) : "undated";
  const facts = [when, event.place ? `${event.place}${event.country ? `, ${event.country}` : ""}` : null,
    event.fatalities != null ? `${event.fatalities} killed` : null,
    event.injured != null ? `${event.injured} injured` : null,
    event.status !== "reported" ? event.status : null,
    `confidence ${Number(event.confidence).toFixed(2)}`,
    event.sources ? `merged event: ${event.sources} source(s)` : null].filter(Boolean);
  item.append(type, element("span", "who", ` ${who}`), element("div", "facts", facts.join(" · ")));
  return item;
}

// A contract event (POST /extract) in the shape of a stored one (GET /articles/{id}).
export function fromContract(event) {
  return { id: event.id, type: event.type, mode: event.mode, actor: event.actor?.name, target: event.target?.name,
    date_start: event.date?.start, date_end: event.date?.end, place: event.location?.name,
    country: event.location?.country, fatalities: event.fatalities, injured: event.injured, status: event.status,
    confidence: event.confidence, start_char: event.evidence.start, end_char: event.evidence.end };
}

export function renderArticle(container, { heading, text, annotations, events }, focusEvent = null) {
  const types = Object.fromEntries(events.map((e) => [e.id, e.type]));
  const legend = element("ul", "highlight-legend");
  for (const [kind, label] of KINDS) {
    const item = element("li");
    item.appendChild(element("span", `ann ${kind}`, label));
    legend.appendChild(item);
  }
  const body = textWithHighlights(text, annotations, types);
  const list = element("ol", "event-list");
  list.append(...events.map(eventLine));
  const side = element("div", "article-side");
  side.append(element("h3", "", `${events.length} event${events.length === 1 ? "" : "s"}`), list);
  const layout = element("div", "article-layout");
  layout.append(body, side);
  container.replaceChildren(...(heading ? [heading] : []), legend, layout);

  const focus = (eventId, scroll = true) => {
    container.querySelectorAll(".focus").forEach((node) => node.classList.remove("focus"));
    const spans = [...body.querySelectorAll("span[data-events]")]
      .filter((span) => span.dataset.events.split(" ").includes(eventId));
    spans.forEach((span) => span.classList.add("focus"));
    const line = list.querySelector(`li[data-event="${CSS.escape(eventId)}"]`);
    if (line) line.classList.add("focus");
    const first = spans.find((s) => s.classList.contains("trigger")) || spans[0];
    if (scroll && first) first.scrollIntoView({ block: "center" });
    if (scroll && line) line.scrollIntoView({ block: "nearest" });
    container.dataset.focus = eventId;
  };
  list.addEventListener("click", (event) => {
    const line = event.target.closest("li[data-event]");
    if (line) focus(line.dataset.event);
  });
  body.addEventListener("click", (event) => {
    const span = event.target.closest("span[data-events]");
    if (span) focus(span.dataset.events.split(" ")[0]);
  });
  const counts = Object.fromEntries(KINDS.map(([kind]) => [kind, annotations.filter((a) => a.kind === kind).length]));
  Object.assign(container.dataset, { state: "ready", events: String(events.length),
    highlights: String(body.querySelectorAll("span.ann").length),
    kinds: Object.entries(counts).filter(([, n]) => n).map(([k]) => k).join(" ") });
  if (focusEvent) focus(focusEvent);
  return { focus };
}

export function articleHeading(article) {
  const heading = element("div", "article-heading");
  const title = article.title || `${article.source || "Article"} ${article.published || ""}`.trim();
  heading.appendChild(element("h3", "", title));
  const meta = [article.source, article.published, `id ${article.id}`].filter(Boolean).join(" · ");
  const line = element("p", "meta", meta);
  if (article.url && /^https?:\/\//i.test(article.url)) {
    const link = element("a", "", " source page");
    link.href = article.url;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    line.appendChild(link);
  }
  heading.appendChild(line);
  return heading;
}
