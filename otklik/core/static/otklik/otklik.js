/* Site-wide behaviour, without inline script (the Content-Security-Policy forbids it):
   irreversible actions ask before they go (a capturing listener: it runs before htmx's own
   submit handler, so a refusal stops an htmx form too). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    var button = event.submitter;
    if (button && button.getAttribute("name") === "check_action") { return; }  // «Проверить» changes nothing
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
