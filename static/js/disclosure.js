/* Disclosure buttons ([data-disclosure], aria-controls naming the region): the header's Menu
   and the project filters. CSS shows the buttons on narrow screens only, once this file marks
   the page (html.has-disclosure); without JavaScript every region simply stays open. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-disclosure][aria-controls]");
  if (!buttons.length) return;
  document.documentElement.classList.add("has-disclosure");

  function set(button, region, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    region.classList.toggle("is-collapsed", !open);
  }

  buttons.forEach(function (button) {
    var region = document.getElementById(button.getAttribute("aria-controls"));
    if (!region) return;
    set(button, region, false);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      set(button, region, open);
      if (open) {
        var first = region.querySelector("a, button, input, select, textarea");
        if (first) first.focus();
      }
    });
    // Escape inside an open region closes it and puts focus back on its button.
    region.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      if (window.getComputedStyle(button).display === "none") return;
      set(button, region, false);
      button.focus();
    });
  });
})();
