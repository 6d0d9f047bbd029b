/* The draft editor: a finding's one-click fix, and ticking a п. 14 reason from a finding. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var fix = event.target.closest("button.fix");
    if (fix) {
      var area = fix.closest("form").querySelector("textarea[name=text]");
      if (!area) { return; }
      var start = Number(fix.dataset.start), end = Number(fix.dataset.end);
      // Only when the text still holds what was checked there; otherwise just check again.
      if (area.value.slice(start, end) === fix.dataset.original) {
        area.value = area.value.slice(0, start) + fix.dataset.suggestion + area.value.slice(end);
      }
      area.focus();
      area.dispatchEvent(new Event("recheck"));
      return;
    }
    var tick = event.target.closest("button.tick-reason");
    if (tick) {
      var form = tick.closest("form");
      var box = form.querySelector("input[name=reason_" + tick.dataset.reason + "]");
      var comment = form.querySelector("input[name=comment_" + tick.dataset.reason + "]");
      if (box) { box.checked = true; }
      if (comment && comment.value.indexOf(tick.dataset.comment) < 0) {
        comment.value = comment.value ? comment.value + "; " + tick.dataset.comment : tick.dataset.comment;
      }
      tick.disabled = true;
    }
  });
})();
