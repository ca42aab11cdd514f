// Site-wide behaviour: navigation toggle, math typesetting, Plotly figures.
import { renderMath } from "./math.js";
import { renderFigures } from "./figures.js";
import { startJobPage, startLabPage } from "./jobs.js";
import { startQuiz } from "./quiz.js";

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
  const config = document.getElementById("lab-config");
  const lab = document.querySelector("[data-lab-page]");
  const job = document.querySelector("[data-job-page]");
  if (config && lab) startLabPage(lab, JSON.parse(config.textContent));
  if (config && job) startJobPage(job, JSON.parse(config.textContent));
  startQuiz(document);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
