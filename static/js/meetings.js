// Meeting minutes: the «Печать» button prints the page (print CSS hides the rest).
(function () {
  "use strict";
  document.addEventListener("click", function (evt) {
    if (evt.target.closest && evt.target.closest("[data-print]")) { window.print(); }
  });
})();
