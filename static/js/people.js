// people: the upload progress bar of the teacher import (htmx reports the bytes sent).
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = evt.target.closest ? evt.target.closest("#import-upload") : null;
    var bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !evt.detail.lengthComputable) { return; }
    bar.value = Math.round(100 * evt.detail.loaded / evt.detail.total);
  });
})();
