// Bundled with Vega, Vega-Lite and vega-embed by vl_convert.javascript_bundle (see
// views.py): the libraries as globals, and every chart spec on the page drawn. A spec is a
// <script type="application/json" data-vega-spec="ID"> whose chart goes into #ID; specs
// that htmx swaps in are drawn too. No request leaves the platform.
window.vegaEmbed = vegaEmbed;
window.vega = vega;
window.vegaLite = vegaLite;

function u4sscDrawCharts(root) {
  const scope = root && root.querySelectorAll ? root : document;
  const specs = Array.from(scope.querySelectorAll('script[type="application/json"][data-vega-spec]'));
  if (scope.matches && scope.matches('script[data-vega-spec]')) specs.push(scope);
  for (const node of specs) {
    if (node.dataset.drawn) continue;
    const target = document.getElementById(node.dataset.vegaSpec);
    if (!target) continue;
    node.dataset.drawn = "1";
    const spec = JSON.parse(node.textContent);
    vegaEmbed(target, spec, { actions: false, renderer: "svg" })
      .then(() => target.setAttribute("data-chart-ready", "1"))
      .catch((error) => console.error("chart " + node.dataset.vegaSpec + ": " + error));
  }
}
window.u4sscDrawCharts = u4sscDrawCharts;

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => u4sscDrawCharts(document));
} else {
  u4sscDrawCharts(document);
}
document.addEventListener("htmx:load", (event) => u4sscDrawCharts(event.target));
