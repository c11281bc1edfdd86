// Small behaviour on top of server-rendered pages; everything works without it.
(function () {
  "use strict";

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  // "/" jumps to the search box, as on most search-driven tools.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var box = document.querySelector("[data-search-focus]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // After htmx swaps the results in place, tell screen-reader users where they are:
  // the first invalid field if the search was refused, else the results heading.
  document.addEventListener("htmx:afterSwap", function (event) {
    var area = document.getElementById("search-area");
    if (!area || !event.detail || event.detail.target === null) return;
    var invalid = area.querySelector("[aria-invalid='true']");
    var heading = area.querySelector("#results-title");
    var focusTarget = invalid || heading;
    if (!focusTarget) return;
    if (focusTarget === heading) heading.setAttribute("tabindex", "-1");
    focusTarget.focus({ preventScroll: invalid === null });
  });
})();
