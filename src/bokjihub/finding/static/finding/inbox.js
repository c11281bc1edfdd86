// Keyboard use of the triage inbox: j/k move between rows, Enter opens the item, x ticks
// the row's checkbox, / jumps to the filter. The page works the same without this file.
(function () {
  "use strict";

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-inbox-row]"));
  }

  var current = -1;

  function select(index) {
    var all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (row, i) {
      row.classList.toggle("is-current", i === current);
    });
    var link = all[current].querySelector("[data-inbox-open]");
    if (link) link.focus();
  }

  function currentIndex() {
    var all = rows();
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-inbox-row]")
      : null;
    var at = focused ? all.indexOf(focused) : -1;
    return at >= 0 ? at : current;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" && !isTyping(event.target)) {
      var filter = document.querySelector(".inbox-filter select");
      if (!filter) return;
      event.preventDefault();
      filter.focus();
      return;
    }
    if (isTyping(event.target) && event.target.type !== "checkbox") return;
    if (event.key === "j") {
      event.preventDefault();
      select(currentIndex() + 1);
    } else if (event.key === "k") {
      event.preventDefault();
      select(currentIndex() <= 0 ? 0 : currentIndex() - 1);
    } else if (event.key === "x") {
      var index = currentIndex();
      if (index < 0) return;
      var box = rows()[index].querySelector("[data-inbox-pick]");
      if (!box) return;
      event.preventDefault();
      box.checked = !box.checked;
    } else if (event.key === "Enter" && event.target.type === "checkbox") {
      // Enter on a row's checkbox opens the row, as it does on the row's link.
      var row = event.target.closest("[data-inbox-row]");
      var link = row ? row.querySelector("[data-inbox-open]") : null;
      if (link) {
        event.preventDefault();
        link.click();
      }
    }
  });
})();
