// Copy axe-core's minified build next to this file, named with its version.
// Run after changing the version in package.json: `npm ci && npm run build`.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync("node_modules/axe-core/package.json", "utf8"));
copyFileSync("node_modules/axe-core/axe.min.js", "axe.min.js");
writeFileSync("axe.version", `${pkg.version}\n`);
console.log(`axe-core ${pkg.version} -> axe.min.js`);
