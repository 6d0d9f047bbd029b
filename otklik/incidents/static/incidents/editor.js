/* The draft editor: one-click fixes, ticking a п. 14 reason from a finding, answer templates,
   the chosen photos counted for the checks, a draft that survives a reload. No inline script:
   the page's Content-Security-Policy allows only this file. */
(function () {
  "use strict";

  function recheck(area) { area.dispatchEvent(new Event("recheck")); }

  document.addEventListener("click", function (event) {
    var fix = event.target.closest("button.fix");
    if (fix) {
      var area = fix.closest("form").querySelector("textarea[name=text]");
      if (!area) { return; }
      var start = Number(fix.dataset.start), end = Number(fix.dataset.end);
      // Only when the text still holds what was checked there; otherwise just check again.
      if (area.value.slice(start, end) === fix.dataset.original) {
        area.value = area.value.slice(0, start) + fix.dataset.suggestion + area.value.slice(end);
        area.dispatchEvent(new Event("input", {bubbles: true}));
      }
      area.focus();
      recheck(area);
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

  // An answer template fills the text (asking before it replaces what was typed).
  document.addEventListener("change", function (event) {
    var picker = event.target.closest("select.template-picker");
    if (picker) {
      var option = picker.options[picker.selectedIndex];
      var area = picker.closest("form").querySelector("textarea[name=text]");
      if (!option || !option.dataset.text || !area) { return; }
      if (area.value.trim() && !window.confirm("Заменить набранный текст шаблоном?")) { picker.value = ""; return; }
      area.value = option.dataset.text;
      area.dispatchEvent(new Event("input", {bubbles: true}));
      recheck(area);
      return;
    }
    var files = event.target.closest("input.file-input");
    if (files) {
      var count = files.files ? files.files.length : 0;
      var form = files.closest("form");
      var hidden = form.querySelector("input[name=files_selected]");
      var label = form.querySelector(".file-count");
      if (hidden) { hidden.value = String(count); }
      if (label) { label.textContent = count ? "выбрано файлов: " + count : "файлы не выбраны"; }
      var text = form.querySelector("textarea[name=text]");
      if (text) { recheck(text); }  // a chosen photo is proof for the «no proof» check
    }
  });

  // An unsaved draft survives a reload: kept in this browser until it is sent.
  function autosave(area) {
    var key = area.dataset.autosave;
    var saved = null;
    try { saved = window.localStorage.getItem(key); } catch (e) { return; }
    if (saved && saved !== area.value) {
      area.value = saved;
      var note = area.closest("form").querySelector(".autosave-note");
      if (note) { note.hidden = false; }
      recheck(area);
    }
    area.addEventListener("input", function () {
      try { window.localStorage.setItem(key, area.value); } catch (e) { /* private mode: no saving */ }
    });
    area.closest("form").addEventListener("submit", function () {
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing to clear */ }
    });
  }
  document.querySelectorAll("textarea[data-autosave]").forEach(autosave);
  document.addEventListener("htmx:afterRequest", function (event) {
    // A sent draft that came back with errors is still on the screen: keep it saved.
    var form = event.target.closest && event.target.closest("form");
    var area = form && form.querySelector("textarea[data-autosave]");
    if (area && event.detail && event.detail.xhr && event.detail.xhr.status !== 204) {
      try { window.localStorage.setItem(area.dataset.autosave, area.value); } catch (e) { /* ignore */ }
    }
  });
})();
