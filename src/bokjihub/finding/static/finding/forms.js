// Character counters for the finding pages' text fields: a field with data-counter-max
// shows "12 / 60자" under it, turning to a warning past the limit. The limit itself is
// checked on the server (the message names it); this only lets the person see it coming.
(function () {
  "use strict";

  function attach(field) {
    var max = parseInt(field.getAttribute("data-counter-max"), 10);
    if (!max || field.type === "hidden") return;
    // the words come from the page, in its language ("{length} / {max}자" in Korean)
    var format = field.getAttribute("data-counter-format") || "{length} / {max}자";
    var counter = document.createElement("p");
    counter.className = "form-hint char-counter";
    counter.setAttribute("aria-live", "polite");
    if (!field.id) field.id = "field-" + Math.random().toString(36).slice(2);
    counter.id = field.id + "-counter";
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var length = Array.from(field.value).length;
      counter.textContent = format
        .replace("{length}", String(length))
        .replace("{max}", String(max));
      counter.classList.toggle("is-over", length > max);
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("[data-counter-max]").forEach(attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
