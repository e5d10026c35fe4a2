// The map: a world outline shipped with the package (world-atlas TopoJSON, drawn by Leaflet; no tile server),
// and the selected events. The server answers with single events when the view holds few of them (clustered
// here by Leaflet.markercluster), or with counts on a grid when it holds many; both look alike: size by
// fatalities, colour by type (a pie of types for a group).

import { isAbort, latest } from "./api.js";
import { typeColour, typeGradient } from "./palette.js";

const POINT_LIMIT = 1000;

function markerSize(fatalities) {
  return Math.min(42, 12 + 4 * Math.sqrt(fatalities || 0));
}

function groupSize(count, fatalities) {
  return Math.min(64, 24 + 3 * Math.log2(1 + count) + 2 * Math.sqrt(fatalities || 0) / 4);
}

function groupIcon(count, byType, fatalities) {
  const size = Math.round(groupSize(count, fatalities));
  return L.divIcon({
    className: "sr-group",
    html: `<div style="width:${size}px;height:${size}px;background:${typeGradient(byType)}">` +
      `<span>${count}</span></div>`,
    iconSize: [size, size],
  });
}

function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function popup(point) {
  const who = [point.actor, point.target].filter(Boolean).join(" → ") || "actors not identified";
  const killed = point.fatalities != null ? `${point.fatalities} killed · ` : "";
  const where = `${escape(point.place || "?")}${point.approximate ? " (somewhere in the country)" : ""}`;
  return `<div class="sr-popup"><strong style="color:${typeColour(point.type)}">${point.type}</strong> ` +
    `${escape(point.date || "undated")}<br>${escape(who)}<br>${where}<br>${killed}${point.sources} source(s)<br>` +
    `<button type="button" data-event="${escape(point.id)}">Evidence →</button></div>`;
}

export class EventMap {
  constructor(element, { onOpenEvent }) {
    this.element = element;
    this.fetch = latest();
    this.filters = {};
    this.onOpenEvent = onOpenEvent;
    this.map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 1 })
      .setView([20, 20], 2);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Outline: Natural Earth via world-atlas");
    this.clusters = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
      iconCreateFunction: (cluster) => {
        const byType = {};
        let deaths = 0;
        for (const marker of cluster.getAllChildMarkers()) {
          byType[marker.options.srType] = (byType[marker.options.srType] || 0) + 1;
          deaths += marker.options.srFatalities || 0;
        }
        return groupIcon(cluster.getChildCount(), byType, deaths);
      },
    }).addTo(this.map);
    this.bins = L.layerGroup().addTo(this.map);
    this.map.on("moveend", () => this.load());
    this.map.on("popupopen", (event) => {
      const button = event.popup.getElement().querySelector("button[data-event]");
      if (button) button.addEventListener("click", () => this.onOpenEvent(button.dataset.event));
    });
    this.outline();
  }

  async outline() {
    const response = await fetch("/static/vendor/countries-50m.json");
    const world = await response.json();
    const land = topojson.feature(world, world.objects.countries);
    L.geoJSON(land, {
      interactive: false,
      style: { color: "#8795a1", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
    }).addTo(this.map).bringToBack();
    this.element.dataset.outline = String(land.features.length);
  }

  update(filters) {
    this.filters = filters;
    return this.load();
  }

  bbox() {
    const bounds = this.map.getBounds();
    let west = bounds.getWest();
    let east = bounds.getEast();
    if (east - west >= 360) [west, east] = [-180, 180];
    const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
    return [clamp(west, -540, 540), clamp(bounds.getSouth(), -90, 90), clamp(east, -540, 540),
      clamp(bounds.getNorth(), -90, 90)].map((v) => v.toFixed(4)).join(",");
  }

  async load() {
    this.element.dataset.state = "loading";
    let view;
    try {
      view = await this.fetch("/map", { ...this.filters, bbox: this.bbox(), zoom: this.map.getZoom(),
        limit: POINT_LIMIT });
    } catch (error) {
      if (isAbort(error)) return;
      this.element.dataset.state = "error";
      throw error;
    }
    this.draw(view);
  }

  draw(view) {
    this.clusters.clearLayers();
    this.bins.clearLayers();
    if (view.mode === "points") {
      this.clusters.addLayers(view.points.map((point) => this.marker(point)));
    } else {
      for (const bin of view.bins) {
        const marker = L.marker([bin.lat, bin.lon], { icon: groupIcon(bin.count, bin.by_type, bin.fatalities) });
        marker.on("click", () => this.map.setView([bin.lat, bin.lon], Math.min(12, this.map.getZoom() + 2)));
        marker.bindTooltip(`${bin.count} events, ${bin.fatalities} killed`);
        this.bins.addLayer(marker);
      }
    }
    const shown = view.mode === "points" ? view.points.length : view.bins.length;
    const unplaced = view.unplaced ? `, ${view.unplaced} without a place` : "";
    document.getElementById("map-summary").textContent =
      `${view.total} events in view${unplaced}` + (view.mode === "bins" ? " (grouped on a grid; zoom in)" : "");
    Object.assign(this.element.dataset, { state: "ready", mode: view.mode, total: String(view.total),
      unplaced: String(view.unplaced || 0), items: String(shown) });
  }

  marker(point) {
    const size = Math.round(markerSize(point.fatalities));
    const style = `width:${size}px;height:${size}px;background:${typeColour(point.type)}`;
    const marker = L.marker([point.lat, point.lon], {
      icon: L.divIcon({ className: `sr-marker${point.approximate ? " approximate" : ""}`,
        html: `<div style="${style}"></div>`, iconSize: [size, size] }),
      srType: point.type, srFatalities: point.fatalities || 0, title: `${point.type} ${point.place || ""}`,
    });
    marker.bindPopup(() => popup(point));
    return marker;
  }

  resize() {
    this.map.invalidateSize();
  }
}
