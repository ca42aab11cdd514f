// A live metrics chart: one subplot per metric family, traces extended in place.
import { loadPlotly } from "./figures.js";

const FAMILY_RULES = [
  [/loss/i, "loss"],
  [/acc/i, "accuracy"],
  [/perplex|ppl/i, "perplexity"],
  [/(^|_)lr($|_)|learning_rate/i, "learning rate"],
  [/grad/i, "gradient norm"],
];
export const MAX_POINTS_PER_TRACE = 5000;

export function familyOf(name) {
  for (const [pattern, family] of FAMILY_RULES) if (pattern.test(name)) return family;
  return name.replace(/^(train|val|valid|test)_/, "");
}

// Keep every spike when a series grows long: per bucket, its minimum and maximum.
export function bucketMinMax(xs, ys, maxPoints) {
  if (xs.length <= maxPoints) return [xs, ys];
  const buckets = Math.floor(maxPoints / 2);
  const size = xs.length / buckets;
  const outX = [];
  const outY = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.floor((b + 1) * size);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      if (ys[i] === null) continue;
      if (lo < 0 || ys[i] < ys[lo]) lo = i;
      if (hi < 0 || ys[i] > ys[hi]) hi = i;
    }
    if (lo < 0) continue;
    for (const i of lo === hi ? [lo] : [Math.min(lo, hi), Math.max(lo, hi)]) {
      outX.push(xs[i]);
      outY.push(ys[i]);
    }
  }
  return [outX, outY];
}

export class MetricsChart {
  constructor(node) {
    this.node = node;
    this.families = [];
    this.traces = new Map(); // key -> index
    this.points = 0;
    this.ready = null;
  }

  async plotly() {
    if (!this.ready) {
      this.ready = loadPlotly().then(async (Plotly) => {
        await Plotly.newPlot(this.node, [], this.layout(), { responsive: true, displaylogo: false });
        return Plotly;
      });
    }
    return this.ready;
  }

  layout() {
    const n = Math.max(1, this.families.length);
    const layout = {
      autosize: true,
      height: 260 + 200 * (n - 1),
      margin: { t: 24, r: 16, b: 44, l: 60 },
      legend: { orientation: "h", y: -0.15 },
      hovermode: "x unified",
      xaxis: { title: { text: "step" }, anchor: n > 1 ? `y${n}` : "y" },
    };
    const gap = 0.06;
    const span = (1 - gap * (n - 1)) / n;
    this.families.forEach((family, i) => {
      const key = i === 0 ? "yaxis" : `yaxis${i + 1}`;
      const top = 1 - i * (span + gap);
      layout[key] = { title: { text: family }, domain: [Math.max(0, top - span), top], type: family === "perplexity" ? "log" : "linear" };
    });
    return layout;
  }

  async addPoints(points, { prefix = "", dash = undefined } = {}) {
    if (!points.length) return;
    const Plotly = await this.plotly();
    const updates = new Map();
    let newTraces = [];
    let relayout = false;
    for (const point of points) {
      const x = point.step ?? point.seq;
      for (const [name, value] of Object.entries(point.values || {})) {
        const key = prefix + name;
        if (!this.traces.has(key) && !newTraces.some((t) => t.key === key)) {
          const family = familyOf(name);
          if (!this.families.includes(family)) {
            this.families.push(family);
            relayout = true;
          }
          const axis = this.families.indexOf(family);
          newTraces.push({ key, trace: { x: [], y: [], name: key, mode: "lines", type: "scatter",
            yaxis: axis === 0 ? "y" : `y${axis + 1}`, line: { dash } } });
        }
        if (!updates.has(key)) updates.set(key, { x: [], y: [] });
        updates.get(key).x.push(x);
        updates.get(key).y.push(value);
      }
    }
    if (newTraces.length) {
      await Plotly.addTraces(this.node, newTraces.map((t) => t.trace));
      for (const t of newTraces) this.traces.set(t.key, this.node.data.findIndex((d) => d.name === t.key));
    }
    if (relayout) await Plotly.relayout(this.node, this.layout());
    const keys = [...updates.keys()];
    if (keys.length) {
      await Plotly.extendTraces(
        this.node,
        { x: keys.map((k) => updates.get(k).x), y: keys.map((k) => updates.get(k).y) },
        keys.map((k) => this.traces.get(k)),
      );
      this.points += points.length;
    }
    this.compact(Plotly, keys);
  }

  compact(Plotly, keys) {
    for (const key of keys) {
      const i = this.traces.get(key);
      const trace = this.node.data[i];
      if (trace.x.length > MAX_POINTS_PER_TRACE) {
        const [x, y] = bucketMinMax(trace.x, trace.y, MAX_POINTS_PER_TRACE / 2);
        Plotly.restyle(this.node, { x: [x], y: [y] }, [i]);
      }
    }
  }

  async removePrefix(prefix) {
    const Plotly = await this.plotly();
    const indices = [];
    for (const [key, i] of this.traces) if (key.startsWith(prefix)) indices.push(i);
    if (!indices.length) return;
    await Plotly.deleteTraces(this.node, indices);
    this.traces = new Map(this.node.data.map((d, i) => [d.name, i]));
  }

  totalPoints() {
    return (this.node.data || []).filter((d) => !d.line?.dash).reduce((n, d) => n + d.x.length, 0);
  }
}
