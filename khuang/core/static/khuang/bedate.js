/* The Buddhist-Era date picker: a small calendar for the Thai date inputs (`input[data-be-date]`, d/m/yyyy BE).
   One delegated listener, so inputs that arrive later in htmx fragments work too. No dependencies. */
(function () {
  "use strict";
  var BE = 543, THRESHOLD = 2400;
  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var WEEKDAYS = ["จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา."];

  /* "10/1/2570", "10-1-2570", "10.1.2027" or "2027-01-10" → a Date (local noon), or null. Mirrors
     khuang.core.thaidates.parse_date on the server. */
  function parse(text) {
    var v = (text || "").trim(), m, d, mo, y;
    if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v))) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(v))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else return null;
    if (y > THRESHOLD) y -= BE;
    var date = new Date(y, mo - 1, d, 12);
    return date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
  }
  function format(date) { return date.getDate() + "/" + (date.getMonth() + 1) + "/" + (date.getFullYear() + BE); }
  function sameDay(a, b) { return a && b && a.toDateString() === b.toDateString(); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function close(picker) {
    if (!picker) return;
    var button = picker.parentNode && picker.parentNode.querySelector(".be-date-pick");
    if (button) button.setAttribute("aria-expanded", "false");
    picker.remove();
  }
  function closeAll(except) {
    document.querySelectorAll(".be-picker").forEach(function (p) { if (p !== except) close(p); });
  }

  function render(picker, input, year, month) {
    picker.textContent = "";
    picker.dataset.year = year; picker.dataset.month = month;
    var head = el("div", "be-head");
    var prev = el("button", "be-prev", "‹"), next = el("button", "be-next", "›");
    prev.type = next.type = "button";
    prev.setAttribute("aria-label", "เดือนก่อน"); next.setAttribute("aria-label", "เดือนถัดไป");
    var title = el("span", "be-title", MONTHS[month] + " " + (year + BE));
    title.setAttribute("aria-live", "polite");
    head.append(prev, title, next);
    picker.append(head);
    var grid = el("div", "be-grid");
    grid.setAttribute("role", "grid");
    WEEKDAYS.forEach(function (w) { grid.append(el("span", "be-wd", w)); });
    var first = new Date(year, month, 1, 12), offset = (first.getDay() + 6) % 7;
    for (var i = 0; i < offset; i++) grid.append(el("span", "be-blank"));
    var chosen = parse(input.value), today = new Date(), days = new Date(year, month + 1, 0).getDate();
    for (var d = 1; d <= days; d++) {
      var day = new Date(year, month, d, 12), b = el("button", "be-day", String(d));
      b.type = "button";
      b.dataset.value = format(day);
      b.setAttribute("aria-label", d + " " + MONTHS[month] + " " + (year + BE));
      if (sameDay(day, chosen)) { b.classList.add("chosen"); b.setAttribute("aria-pressed", "true"); }
      if (sameDay(day, today)) b.classList.add("today");
      grid.append(b);
    }
    picker.append(grid);
  }

  function open(button) {
    var wrap = button.closest(".be-date"), input = wrap && wrap.querySelector("input");
    if (!input) return;
    var existing = wrap.querySelector(".be-picker");
    closeAll(existing);
    if (existing) { close(existing); return; }
    var picker = el("div", "be-picker");
    picker.setAttribute("role", "dialog");
    picker.setAttribute("aria-label", "เลือกวันที่ (พ.ศ.)");
    var start = parse(input.value) || new Date();
    render(picker, input, start.getFullYear(), start.getMonth());
    wrap.append(picker);
    button.setAttribute("aria-expanded", "true");
    (picker.querySelector(".be-day.chosen") || picker.querySelector(".be-day.today") ||
     picker.querySelector(".be-day")).focus();
  }

  document.addEventListener("click", function (event) {
    var t = event.target;
    var button = t.closest && t.closest(".be-date-pick");
    if (button) { event.preventDefault(); open(button); return; }
    var picker = t.closest && t.closest(".be-picker");
    if (!picker) { closeAll(null); return; }
    var input = picker.parentNode.querySelector("input");
    var y = +picker.dataset.year, m = +picker.dataset.month;
    if (t.closest(".be-prev")) { render(picker, input, m === 0 ? y - 1 : y, (m + 11) % 12); return; }
    if (t.closest(".be-next")) { render(picker, input, m === 11 ? y + 1 : y, (m + 1) % 12); return; }
    var day = t.closest(".be-day");
    if (day) {
      input.value = day.dataset.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(picker);
      input.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var picker = event.target.closest && event.target.closest(".be-picker");
    if (picker) {
      var input = picker.parentNode.querySelector("input");
      event.preventDefault(); event.stopPropagation();  // inside a dialog: close the picker, not the dialog
      close(picker);
      if (input) input.focus();
    }
  }, true);

  window.khuangBEDate = { parse: parse, format: format };
})();
