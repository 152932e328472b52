// Kanban drag and drop: dropping a card on a column posts the same move as its button.
(function () {
  "use strict";
  let dragged = null;
  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card");
    if (!card) return;
    dragged = card;
    event.dataTransfer.setData("text/plain", card.dataset.project);
  });
  document.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (column && dragged && dragged.dataset.next.split(" ").includes(column.dataset.stage)) {
      event.preventDefault();
      column.classList.add("border-primary");
    }
  });
  document.addEventListener("dragleave", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (column) column.classList.remove("border-primary");
  });
  document.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    window.htmx.ajax("POST", dragged.dataset.moveUrl, {
      target: "#board", swap: "outerHTML",
      values: {target: column.dataset.stage, version: dragged.dataset.version, from: "board"},
    });
    dragged = null;
  });
})();
