// Site-wide behaviour: navigation toggle, math typesetting, Plotly figures.
import { renderMath } from "./math.js";
import { renderFigures } from "./figures.js";

function setUpNavigation() {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    nav.classList.toggle("open", !open);
  });
}

function start() {
  setUpNavigation();
  renderMath(document);
  renderFigures(document);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
