// The case page: sections that open one at a time, links that open the section they
// point into, live character counters, and focus on the first field to fix after a
// refused save. A separate file because the Content-Security-Policy allows no inline
// script; the page works without it (the server checks every limit).
(function () {
  "use strict";

  function sections() {
    return Array.prototype.slice.call(document.querySelectorAll("details.case-panel"));
  }

  // <details name> already makes the sections exclusive in current browsers; this does
  // the same where the attribute is not supported.
  function closeOthers(opened) {
    sections().forEach(function (panel) {
      if (panel !== opened && panel.open) panel.open = false;
    });
  }

  function openSectionOf(target) {
    var panel = target && target.closest ? target.closest("details.case-panel") : null;
    if (!panel) return null;
    if (!panel.open) panel.open = true;
    return panel;
  }

  document.addEventListener(
    "toggle",
    function (event) {
      var panel = event.target;
      if (panel.matches && panel.matches("details.case-panel") && panel.open) closeOthers(panel);
    },
    true
  );

  // "다음 할 일" and the referral count point into a section: open it, then go there.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-open-section]") : null;
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var panel = openSectionOf(target);
    if (!panel) return;
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    panel.scrollIntoView({ block: "start" });
    panel.querySelector("summary").focus();
  });

  function formatNumber(value) {
    return value.toLocaleString("ko-KR");
  }

  function updateCounter(field, counter) {
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var length = field.value.length;
    var over = length > limit;
    // the words come translated from the page (data-counter-text, data-counter-over)
    var text = (counter.getAttribute("data-counter-text") || "{count} / {limit}")
      .replace("{count}", formatNumber(length))
      .replace("{limit}", formatNumber(limit));
    if (over) {
      text += " — " + (counter.getAttribute("data-counter-over") || "+{over}").replace("{over}", formatNumber(length - limit));
    }
    counter.textContent = text;
    counter.classList.toggle("is-over", over);
  }

  function setUpCounters() {
    var counters = document.querySelectorAll("[data-counter-for]");
    Array.prototype.forEach.call(counters, function (counter) {
      var field = document.getElementById(counter.getAttribute("data-counter-for"));
      if (!field) return;
      updateCounter(field, counter);
      field.addEventListener("input", function () {
        updateCounter(field, counter);
      });
    });
  }

  function focusFirstProblem() {
    var invalid = document.querySelector(".case-panel [aria-invalid='true'], .case-panel .case-field.is-invalid input, .case-panel .case-field.is-invalid select, .case-panel .case-field.is-invalid textarea");
    if (invalid) {
      openSectionOf(invalid);
      invalid.focus();
      return;
    }
    var refused = document.querySelector(".case-panel .case-form.is-invalid");
    if (refused) {
      openSectionOf(refused);
      refused.scrollIntoView({ block: "start" });
    }
  }

  function openFromHash() {
    if (!location.hash) return;
    var target = document.getElementById(location.hash.slice(1));
    openSectionOf(target);
  }

  function start() {
    setUpCounters();
    openFromHash();
    focusFirstProblem();
    window.addEventListener("hashchange", openFromHash);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
