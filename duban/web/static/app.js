// Review page: clicking a task highlights its source lines and scrolls them
// into view; clicking a source line selects the task that covers it.
// Plain DOM, no framework; loaded from /static so the CSP forbids inline code.
(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  function clearSelection() {
    document.querySelectorAll("ol.source li.hl").forEach(function (li) { li.classList.remove("hl"); });
    document.querySelectorAll(".task-card.selected").forEach(function (c) { c.classList.remove("selected"); });
  }

  function selectTask(card, scrollCard) {
    clearSelection();
    card.classList.add("selected");
    var first = parseInt(card.dataset.line, 10), last = parseInt(card.dataset.end, 10) || first;
    var firstLi = null;
    for (var n = first; n <= last; n++) {
      var li = byId("L" + n);
      if (li) { li.classList.add("hl"); firstLi = firstLi || li; }
    }
    if (firstLi) { firstLi.scrollIntoView({ block: "center" }); }
    if (scrollCard) { card.scrollIntoView({ block: "nearest" }); }
    var url = new URL(window.location.href);
    url.searchParams.set("task", card.dataset.task);
    url.hash = "";
    history.replaceState(null, "", url.toString());
  }

  function taskForLine(n) {
    var cards = document.querySelectorAll(".task-card[data-task]");
    for (var i = 0; i < cards.length; i++) {
      var a = parseInt(cards[i].dataset.line, 10), b = parseInt(cards[i].dataset.end, 10) || a;
      if (n >= a && n <= b) { return cards[i]; }
    }
    return null;
  }

  function initReview(review) {
    review.addEventListener("click", function (e) {
      var card = e.target.closest(".task-card[data-task]");
      if (card) {
        // Clicks inside the edit form are for editing, not for selecting.
        if (e.target.closest("form") || e.target.closest("a")) { return; }
        selectTask(card, false);
        return;
      }
      var li = e.target.closest("ol.source li[data-line]");
      if (li) {
        var owner = taskForLine(parseInt(li.dataset.line, 10));
        if (owner) { selectTask(owner, true); }
      }
    });
    var selected = review.dataset.selected && byId("task-" + review.dataset.selected);
    if (selected) { selectTask(selected, true); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var review = document.querySelector(".review");
    if (review) { initReview(review); }
  });
})();
