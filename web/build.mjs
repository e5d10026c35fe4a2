// Copies the built files of the dashboard's libraries (installed from the npm registry by `npm ci`) into
// sitroom/web/static/vendor/, with their licences and a MANIFEST.json of versions and SHA-256 digests.
// The Python package ships that folder: the dashboard needs no CDN and no internet.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "sitroom", "web", "static", "vendor");

// package -> [file in the package, name in vendor/]
const FILES = {
  "leaflet": [["dist/leaflet.js", "leaflet.js"], ["dist/leaflet.css", "leaflet.css"],
              ["LICENSE", "LICENSE.leaflet"]],
  "leaflet.markercluster": [["dist/leaflet.markercluster.js", "leaflet.markercluster.js"],
                            ["dist/MarkerCluster.css", "MarkerCluster.css"],
                            ["MIT-LICENCE.txt", "LICENSE.leaflet.markercluster"]],
  "topojson-client": [["dist/topojson-client.min.js", "topojson-client.min.js"],
                      ["LICENSE", "LICENSE.topojson-client"]],
  "world-atlas": [["countries-50m.json", "countries-50m.json"], ["LICENSE", "LICENSE.world-atlas"]],
  "cytoscape": [["dist/cytoscape.min.js", "cytoscape.min.js"], ["LICENSE", "LICENSE.cytoscape"]],
  // /docs: FastAPI's Swagger UI page, pointed at these instead of a CDN
  "swagger-ui-dist": [["swagger-ui-bundle.js", "swagger-ui-bundle.js"], ["swagger-ui.css", "swagger-ui.css"],
                      ["LICENSE", "LICENSE.swagger-ui"]],
};

rmSync(vendor, { recursive: true, force: true });
mkdirSync(vendor, { recursive: true });
const manifest = { note: "written by web/build.mjs; do not edit", packages: {} };
for (const [name, files] of Object.entries(FILES)) {
  const root = join(modules, name);
  const { version, license } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const entry = { version, license, files: {} };
  for (const [from, to] of files) {
    copyFileSync(join(root, from), join(vendor, to));
    entry.files[to] = createHash("sha256").update(readFileSync(join(vendor, to))).digest("hex");
  }
  manifest.packages[name] = entry;
}
writeFileSync(join(vendor, "MANIFEST.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`vendored ${Object.keys(FILES).length} packages into ${vendor}`);
