// Typeset server-marked math (<span class="math" data-display="0|1">TeX</span>) with KaTeX.
import katex from "katex";

export function renderMath(root) {
  for (const el of root.querySelectorAll(".math:not([data-rendered])")) {
    const tex = el.textContent;
    try {
      katex.render(tex, el, {
        displayMode: el.dataset.display === "1",
        throwOnError: false,
        trust: false,
        strict: "ignore",
      });
      el.dataset.rendered = "1";
    } catch (err) {
      el.classList.add("math-error");
      el.title = String(err);
    }
  }
}
