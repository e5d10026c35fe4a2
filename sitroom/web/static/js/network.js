// The actor network (Cytoscape): actors sized by their events in the selection and coloured by kind; arrows
// for who acted on whom (colour: the most frequent event type; width: how many events), dashed lines for
// relations stated in the articles or known to the knowledge base. Click an actor to filter on it.

import { isAbort, latest } from "./api.js";
import { kindColour, typeColour } from "./palette.js";

// Labels on the most involved actors only (and on the one chosen or pointed at): forty names at once cannot
// be read. The layout counts the labels as part of each node, so labelled nodes keep their names apart.
const LABELLED = 12;

const STYLE = [
  { selector: "node", style: {
    "background-color": "data(colour)", width: "data(size)", height: "data(size)", label: "",
    "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, color: "#1f2933",
    "text-wrap": "ellipsis", "text-max-width": 110, "border-width": 1, "border-color": "#fff",
    "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
  { selector: "node.labelled, node.selected, node.hover", style: { label: "data(name)" } },
  { selector: "node.hover", style: { "z-index": 10 } },
  { selector: "node.selected", style: { "border-width": 3, "border-color": "#111" } },
  { selector: "edge", style: {
    width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
    "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8, opacity: 0.85 } },
  { selector: "edge.relation", style: {
    "line-style": "dashed", "target-arrow-shape": "vee", label: "data(relation)", "font-size": 8,
    color: "#52606d", "text-rotation": "autorotate", "text-background-color": "#fff",
    "text-background-opacity": 0.8 } },
];

function elements(network) {
  const most = Math.max(1, ...network.nodes.map((n) => n.events));
  const nodes = network.nodes.map((node, i) => ({
    group: "nodes",
    data: { id: node.id, name: node.name, kind: node.kind, events: node.events, colour: kindColour(node.kind),
      size: 14 + 30 * Math.sqrt(node.events / most) },
    // A fixed start on a circle: the same data gives the same picture.
    position: { x: 300 * Math.cos((2 * Math.PI * i) / network.nodes.length),
      y: 300 * Math.sin((2 * Math.PI * i) / network.nodes.length) },
  }));
  const edges = network.edges.map((edge, i) => ({
    group: "edges",
    classes: edge.relation === "interaction" ? "interaction" : "relation",
    data: { id: `e${i}`, source: edge.source, target: edge.target, relation: edge.relation,
      count: edge.count, type: edge.type,
      colour: edge.relation === "interaction" ? typeColour(edge.type) : "#9aa5b1",
      width: edge.relation === "interaction" ? 1 + 2 * Math.log2(1 + edge.count) : 1 },
  }));
  return [...nodes, ...edges];
}

export class ActorNetwork {
  constructor(element, { onActor }) {
    this.element = element;
    this.fetch = latest();
    this.cy = cytoscape({ container: element, style: STYLE, minZoom: 0.2, maxZoom: 3 });
    this.cy.on("tap", "node", (event) => onActor(event.target.id()));
    this.cy.on("mouseover", "node", (event) => {
      const node = event.target;
      node.addClass("hover");
      element.title = `${node.data("name")} (${node.data("kind")}): ${node.data("events")} events`;
    });
    this.cy.on("mouseout", "node", (event) => event.target.removeClass("hover"));
  }

  async update(filters) {
    this.element.dataset.state = "loading";
    let network;
    try {
      network = await this.fetch("/network", { ...filters, limit: 40 });
    } catch (error) {
      if (isAbort(error)) return;
      this.element.dataset.state = "error";
      throw error;
    }
    this.cy.elements().remove();
    this.cy.add(elements(network));
    if (filters.actor) this.cy.getElementById(filters.actor).addClass("selected");
    this.cy.nodes().sort((a, b) => b.data("events") - a.data("events") || (a.id() < b.id() ? -1 : 1))
      .slice(0, LABELLED).addClass("labelled");
    // Twice: the first layout shows how far the panel zooms out; labels are then sized to read at 11 px on
    // screen, and the second layout keeps those sizes apart.
    this.cy.nodes().style({ "font-size": 10, "text-max-width": 140 });
    this.layout();
    const size = Math.min(40, 11 / Math.max(this.cy.zoom(), 0.05));
    this.cy.nodes().style({ "font-size": size, "text-max-width": 14 * size });
    this.layout();
    this.declutter();
    const interactions = network.edges.filter((e) => e.relation === "interaction").length;
    document.getElementById("network-summary").textContent =
      `${network.nodes.length} actors, ${interactions} interactions, ${network.edges.length - interactions} relations`;
    Object.assign(this.element.dataset, { state: "ready", nodes: String(network.nodes.length),
      edges: String(network.edges.length), ids: network.nodes.map((n) => n.id).join(" ") });
  }

  layout() {
    this.cy.layout({ name: "cose", randomize: false, animate: false, nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 80000, idealEdgeLength: () => 110, nodeOverlap: 60, numIter: 2500, fit: true,
      padding: 24 }).run();
  }

  // A label that would cover a more involved actor's label is left to the tooltip.
  declutter() {
    const kept = [];
    const box = (node) => node.boundingBox({ includeNodes: false, includeLabels: true, includeEdges: false });
    const meets = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    this.cy.nodes(".labelled").sort((a, b) => b.data("events") - a.data("events")).forEach((node) => {
      const mine = box(node);
      if (kept.some((other) => meets(mine, other))) node.removeClass("labelled");
      else kept.push(mine);
    });
  }

  resize() {
    this.cy.resize();
    this.cy.fit(undefined, 24);
  }
}
