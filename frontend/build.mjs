// Build the browser bundles into platform/static/dist (run by `make run` and `make test`).
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "platform", "static", "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: {
    app: join(root, "frontend", "src", "app.js"),
    "app-style": join(root, "frontend", "src", "app.css"),
  },
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ["es2020"],
  outdir: out,
  loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
  assetNames: "fonts/[name]-[hash]",
  logLevel: "info",
});
// Plotly is large: ship its prebuilt bundle as its own file, loaded only by pages with charts.
cpSync(join(root, "node_modules", "plotly.js-dist-min", "plotly.min.js"), join(out, "plotly.min.js"));
cpSync(join(out, "app-style.css"), join(out, "app.css"));
