// Quiz pages: arrow buttons to reorder ordering questions, and a results page that refreshes
// itself while code answers are still being checked in the sandbox.

function renumber(list) {
  [...list.querySelectorAll(".ordering-item")].forEach((item, i) => {
    item.querySelector("input.rank").value = String(i + 1);
  });
}

function arrow(label, text, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ordering-move";
  button.textContent = text;
  button.setAttribute("aria-label", label);
  button.addEventListener("click", onClick);
  return button;
}

function enhanceOrdering(list) {
  list.classList.add("ordering-enhanced");
  for (const item of list.querySelectorAll(".ordering-item")) {
    const up = arrow("Move up", "↑", () => {
      if (item.previousElementSibling) item.parentNode.insertBefore(item, item.previousElementSibling);
      renumber(list);
      up.focus();
    });
    const down = arrow("Move down", "↓", () => {
      if (item.nextElementSibling) item.parentNode.insertBefore(item.nextElementSibling, item);
      renumber(list);
      down.focus();
    });
    item.prepend(up, down);
  }
  renumber(list);
}

export function startQuiz(root) {
  for (const list of root.querySelectorAll("[data-ordering]")) enhanceOrdering(list);
  const result = root.querySelector("[data-testid=quiz-result][data-pending='1']");
  if (result) {
    // Code checks finish in the sandbox after submission; show their grade when they do.
    setTimeout(() => window.location.reload(), 3000);
  }
}
