// The dashboard: one set of filters (kept in the URL) drives the map, the timeline, the actor network and the
// event table at once; the article drawer and the paste box show texts with their highlights.

import { get, post } from "./api.js";
import { articleHeading, fromContract, renderArticle } from "./article.js";
import { EventMap } from "./map.js";
import { ActorNetwork } from "./network.js";
import { TYPES, typeColour } from "./palette.js";
import { FILTERS, readUrl, writeUrl } from "./state.js";
import { EventTable } from "./table.js";
import { Timeline } from "./timeline.js";

const $ = (selector) => document.querySelector(selector);
const state = readUrl();
let views = null;

function say(text, kind = "error") {
  const box = $("#message");
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
}

function report(error) {
  say(error.code ? `${error.code}: ${error.message}` : String(error));
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

function fillForm() {
  const form = $("#filters");
  for (const name of FILTERS) {
    const field = form.elements[name];
    if (field.type === "checkbox") field.checked = state.filters[name] === "true";
    else field.value = state.filters[name] || "";
  }
}

function readForm() {
  const form = $("#filters");
  const filters = {};
  for (const name of FILTERS) {
    const field = form.elements[name];
    const value = field.type === "checkbox" ? (field.checked ? "true" : "") : field.value.trim();
    if (value) filters[name] = name === "country" ? value.toUpperCase() : value;
  }
  return filters;
}

function setFilters(filters, { push = true } = {}) {
  state.filters = filters;
  if (push) writeUrl(state);
  fillForm();
  return refresh();
}

function changeFilter(changes) {
  const next = { ...state.filters, ...changes };
  for (const [key, value] of Object.entries(next)) if (!value) delete next[key];
  return setFilters(next);
}

async function refresh() {
  say("");
  document.body.dataset.filters = JSON.stringify(state.filters);
  const jobs = [views.map.update(state.filters), views.timeline.update(state.filters),
    views.network.update(state.filters), views.table.update(state.filters)];
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) report(failed.reason);
}

function setUpFilters() {
  const select = $("#filters select[name=type]");
  for (const type of TYPES) select.add(new Option(type, type));
  $("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    setFilters(readForm());
  });
  select.addEventListener("change", () => setFilters(readForm()));
  $("#filters input[name=include_background]").addEventListener("change", () => setFilters(readForm()));
  $("#clear-filters").addEventListener("click", () => setFilters({}));
  const legend = $("#legend");
  for (const type of TYPES) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = type;
    button.style.setProperty("--type", typeColour(type));
    button.addEventListener("click", () => changeFilter({ type: state.filters.type === type ? "" : type }));
    item.appendChild(button);
    legend.appendChild(item);
  }
}

async function loadSideData() {
  try {
    const stats = await get("/stats");
    $("#stats").textContent = `${stats.merged_events} merged events · ${stats.events} reports · ` +
      `${stats.articles} articles · ${stats.outlets} outlets` + (stats.clusters_stale ? " · merge pending" : "");
    const actors = await get("/actors", { limit: 300 });
    $("#actor-list").replaceChildren(...actors.items.map((a) => new Option(a.name, a.id)));
  } catch (error) {
    report(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Article drawer and paste box
// ---------------------------------------------------------------------------------------------

async function openArticle(articleId, eventId = null, { push = true } = {}) {
  state.article = articleId;
  state.event = eventId || undefined;
  if (push) writeUrl(state);
  const drawer = $("#article");
  const body = $("#article-body");
  drawer.hidden = false;
  body.dataset.state = "loading";
  try {
    const article = await get(`/articles/${encodeURIComponent(articleId)}`);
    $("#article-title").textContent = "Article";
    renderArticle(body, { heading: articleHeading(article), text: article.text, annotations: article.annotations,
      events: article.events }, eventId);
  } catch (error) {
    body.dataset.state = "error";
    body.textContent = error.message;
  }
}

function closeArticle() {
  $("#article").hidden = true;
  delete state.article;
  delete state.event;
  writeUrl(state);
}

// From a merged event (map popup) to the first article reporting it, with the evidence highlighted.
async function openEvent(clusterId) {
  try {
    const event = await get(`/events/${encodeURIComponent(clusterId)}`);
    const first = event.reports_detail[0];
    if (first) openArticle(first.article_id, first.event_id);
  } catch (error) {
    report(error);
  }
}

function setUpExtract() {
  const form = $("#extract-form");
  const result = $("#extract-result");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = form.elements.text.value;
    const payload = { text, published: form.elements.published.value || null,
      source: form.elements.source.value.trim() || null };
    result.dataset.state = "loading";
    result.textContent = "extracting…";
    try {
      const answer = await post("/extract/annotated", payload);
      renderArticle(result, { heading: null, text, annotations: answer.annotations,
        events: answer.result.events.map(fromContract) });
    } catch (error) {
      result.dataset.state = "error";
      result.textContent = `${error.code}: ${error.message}`;
    }
  });
}

function show(view, { push = true } = {}) {
  state.view = view === "extract" ? "extract" : undefined;
  if (push) writeUrl(state);
  const extract = view === "extract";
  $("#dashboard").hidden = extract;
  $("#filters").hidden = extract;
  $("#extract").hidden = !extract;
  document.querySelectorAll(".tabs button").forEach((button) => {
    button.setAttribute("aria-selected", String(button.dataset.view === (extract ? "extract" : "dashboard")));
  });
  if (!extract && views) {
    views.map.resize();
    views.network.resize();
  }
}

// ---------------------------------------------------------------------------------------------

function start() {
  setUpFilters();
  setUpExtract();
  fillForm();
  views = {
    map: new EventMap($("#map"), { onOpenEvent: openEvent }),
    timeline: new Timeline($("#timeline"), { onRange: (since, until) => changeFilter({ since, until }) }),
    network: new ActorNetwork($("#network"), { onActor: (id) => changeFilter({ actor: id }) }),
    table: new EventTable($("#table"), { onOpenArticle: openArticle }),
  };
  window.sitroomDashboard = { state, views, setFilters, openArticle };
  document.querySelectorAll(".tabs button").forEach((button) => {
    button.addEventListener("click", () => show(button.dataset.view));
  });
  $("#article .close").addEventListener("click", closeArticle);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("#article").hidden) closeArticle();
  });
  window.addEventListener("popstate", () => {
    const next = readUrl();
    Object.assign(state, { filters: next.filters, article: next.article, event: next.event, view: next.view });
    fillForm();
    refresh();
    show(next.view, { push: false });
    if (next.article) openArticle(next.article, next.event, { push: false });
    else $("#article").hidden = true;
  });
  show(state.view, { push: false });
  loadSideData();
  refresh();
  if (state.article) openArticle(state.article, state.event, { push: false });
}

// Module scripts run after the deferred library scripts, in document order.
start();
