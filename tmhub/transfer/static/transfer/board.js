// Kanban drag and drop: dropping a card on a column posts the same move as its button.
// A drop the card's stages refuse says why (the step's blocking reason, or that moving back is
// done on the project page), and what the server answered is shown above the board: the
// messages of a refused move would otherwise sit hidden in #board-messages.
(function () {
  "use strict";
  let dragged = null;

  function board() { return document.getElementById("board"); }

  function feedback(text, kind) {
    let region = document.getElementById("board-feedback");
    if (!region) {
      region = document.createElement("div");
      region.id = "board-feedback";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      board().parentNode.insertBefore(region, board());
    }
    region.className = "alert alert-" + kind + " py-2 small";
    region.textContent = text;
  }

  function showServerMessages() {
    const box = document.getElementById("board-messages");
    const items = box ? Array.from(box.querySelectorAll("span")) : [];
    if (!items.length) return;
    const refused = items.some(function (s) { return s.classList.contains("error"); });
    feedback(items.map(function (s) { return s.textContent.trim(); }).join(" "),
             refused ? "danger" : "success");
  }

  function accepts(column) {
    return dragged.dataset.next.split(" ").includes(column.dataset.stage);
  }

  function refusal(column) {
    const stage = column.dataset.stage;
    const step = dragged.querySelector('.move-btn[data-target="' + stage + '"]');
    const needs = dragged.querySelector('.gate-needs[data-target="' + stage + '"]');
    const reason = (needs && needs.textContent.trim()) || (step && step.title) ||
      board().dataset.refusedHint || "";
    return ((board().dataset.refused || "") + " " + reason).trim();
  }

  function own(column) { return dragged.closest(".board-column") === column; }

  document.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest(".board-card");
    if (!card) return;
    dragged = card;
    event.dataTransfer.setData("text/plain", card.dataset.project);
  });
  document.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged || own(column)) return;
    // Every other column takes the drop, so a refused one can say why.
    event.preventDefault();
    column.classList.add(accepts(column) ? "border-primary" : "drop-refused");
  });
  document.addEventListener("dragleave", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (column) column.classList.remove("border-primary", "drop-refused");
  });
  document.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest(".board-column");
    if (!column || !dragged) return;
    event.preventDefault();
    column.classList.remove("border-primary", "drop-refused");
    if (own(column)) {
      dragged = null;
      return;
    }
    if (!accepts(column)) {
      feedback(refusal(column), "warning");
      dragged = null;
      return;
    }
    window.htmx.ajax("POST", dragged.dataset.moveUrl, {
      target: "#board", swap: "outerHTML",
      values: {target: column.dataset.stage, version: dragged.dataset.version, from: "board"},
    });
    dragged = null;
  });
  document.addEventListener("dragend", function () { dragged = null; });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "board") showServerMessages();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap replaces #board itself: afterSettle fires on the new element.
    if (event.target && event.target.id === "board") showServerMessages();
  });
})();
