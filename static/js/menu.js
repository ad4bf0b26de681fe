// The main menu on a phone: below 600 px it folds behind a "Menu" button (aria-expanded), so the page starts with
// its content and not with nine links. Loaded right after the header, before the page is painted, so nothing jumps.
// Without JavaScript the button stays hidden and the menu open.
(function () {
  "use strict";
  var button = document.querySelector("[data-menu-toggle]");
  var panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!panel || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 37.5em)");

  function open() { return button.getAttribute("aria-expanded") === "true"; }

  function apply() {
    button.hidden = !narrow.matches;
    panel.hidden = narrow.matches && !open();
  }

  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", String(!open()));
    apply();
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && open()) {
      button.setAttribute("aria-expanded", "false");
      apply();
      button.focus();
    }
  });
  if (narrow.addEventListener) { narrow.addEventListener("change", apply); }
  apply();
})();
