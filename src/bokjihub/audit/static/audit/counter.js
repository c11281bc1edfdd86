// Character counters: <p data-counter-for="ID"><span data-count>0</span> / N자</p> beside
// a textarea. The server checks the same limit; this only shows it while typing.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var count = counter.querySelector("[data-count]");
    if (!field || !count) {
      return;
    }
    var update = function () {
      count.textContent = String(field.value.length);
    };
    field.addEventListener("input", update);
    update();
  });
});
