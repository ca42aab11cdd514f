// Render Plotly figures declared in lessons (<div class="plotly-figure" data-figure="{json}">).
let plotlyPromise = null;

export function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyPromise) {
    plotlyPromise = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      // The page names the (hashed) bundle: Plotly is large, so only pages with charts load it.
      script.src = document.body.dataset.plotlySrc;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("could not load the chart library"));
      document.head.appendChild(script);
    });
  }
  return plotlyPromise;
}

export async function renderFigures(root) {
  const nodes = [...root.querySelectorAll(".plotly-figure:not([data-rendered])")];
  if (!nodes.length) return;
  const Plotly = await loadPlotly();
  for (const node of nodes) {
    let figure;
    try {
      figure = JSON.parse(node.dataset.figure);
    } catch {
      node.textContent = "This figure could not be read.";
      continue;
    }
    const layout = Object.assign({ autosize: true, margin: { t: 48, r: 16, b: 48, l: 56 } }, figure.layout || {});
    await Plotly.newPlot(node, figure.data || [], layout, { responsive: true, displaylogo: false });
    node.dataset.rendered = "1";
  }
}
