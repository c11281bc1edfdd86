// Keyboard and mouse use of the triage inbox: j/k move between rows, Enter opens the item,
// x ticks the row's checkbox, / jumps to the filter; a click anywhere on a row (not on its
// link) ticks it too. A ticked row is highlighted. Without this file the checkbox (drawn
// on its label) still works by click and Space.
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

  function showPicked(box) {
    var row = box.closest("[data-inbox-row]");
    if (row) row.classList.toggle("is-picked", box.checked);
  }

  function toggle(box) {
    box.checked = !box.checked;
    showPicked(box);
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-inbox-pick]")) showPicked(event.target);
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("[data-inbox-row]") : null;
    if (!row) return;
    // links, the checkbox and its label do their own thing
    if (event.target.closest("a, button, input, label, select, textarea")) return;
    var box = row.querySelector("[data-inbox-pick]");
    if (box) toggle(box);
  });

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
      toggle(box);
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
