// Colours for the 16 PLOVER event types (violent reds and oranges, protest purple, diplomacy blues and
// greens) and for actor kinds. One place, used by every view and the legend.

export const TYPES = ["ASSAULT", "COERCE", "THREATEN", "MOBILIZE", "PROTEST", "SANCTION", "ACCUSE", "REJECT",
  "REQUEST", "CONSULT", "AGREE", "COOPERATE", "SUPPORT", "AID", "CONCEDE", "RETREAT"];

const TYPE_COLOURS = {
  ASSAULT: "#d62728", COERCE: "#ff7f0e", THREATEN: "#e6a400", MOBILIZE: "#8c564b", PROTEST: "#9467bd",
  SANCTION: "#7f7f7f", ACCUSE: "#e377c2", REJECT: "#bc3f8b", REQUEST: "#17becf", CONSULT: "#1f77b4",
  AGREE: "#2ca02c", COOPERATE: "#98df8a", SUPPORT: "#6baed6", AID: "#31a354", CONCEDE: "#bcbd22",
  RETREAT: "#aec7e8",
};

const KIND_COLOURS = {
  state: "#1f77b4", government: "#1f77b4", military: "#2c3e50", police: "#34495e", armed_group: "#d62728",
  party: "#9467bd", igo: "#17becf", ngo: "#2ca02c", media: "#bcbd22", person: "#ff7f0e", civilians: "#7f7f7f",
};

export function typeColour(type) {
  return TYPE_COLOURS[type] || "#555";
}

export function kindColour(kind) {
  return KIND_COLOURS[kind] || "#999";
}

// A CSS conic gradient with one slice per type, in TYPES order: the look of a cluster of mixed events.
export function typeGradient(byType) {
  const total = Object.values(byType).reduce((a, b) => a + b, 0) || 1;
  let at = 0;
  const stops = [];
  for (const type of TYPES.filter((t) => byType[t])) {
    const next = at + (byType[type] / total) * 360;
    stops.push(`${typeColour(type)} ${at.toFixed(1)}deg ${next.toFixed(1)}deg`);
    at = next;
  }
  return stops.length ? `conic-gradient(${stops.join(", ")})` : "#555";
}
