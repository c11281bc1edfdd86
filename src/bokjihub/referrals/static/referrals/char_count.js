// Live "used / limit" under a text field whose limit the server enforces (its form's
// max_length); the server-rendered count is right without this script.
(function () {
  "use strict";

  function update(counter, field) {
    var limit = parseInt(counter.getAttribute("data-char-limit"), 10);
    var used = field.value.length;
    counter.textContent = counter.textContent.replace(/^\s*\d+\s*\/\s*\d+/, used + " / " + limit);
    counter.classList.toggle("is-over", used > limit);
  }

  function wire() {
    var counters = document.querySelectorAll("[data-char-count-for]");
    Array.prototype.forEach.call(counters, function (counter) {
      var field = document.getElementById(counter.getAttribute("data-char-count-for"));
      // A page may include this script more than once (several forms): wire each once.
      if (!field || counter.hasAttribute("data-char-count-wired")) return;
      counter.setAttribute("data-char-count-wired", "");
      var described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      field.addEventListener("input", function () { update(counter, field); });
      update(counter, field);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
