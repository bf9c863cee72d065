// Tables of the portal become cards on a phone: each cell is labelled with its column's header
// (data-label, shown by site.css before the value on narrow screens). Without this script the
// tables stay tables that scroll sideways; the calendar of a hall's week stays a grid.
(function () {
  "use strict";
  document.querySelectorAll("main .table-wrap table:not(.week)").forEach(function (table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      var text = th.textContent.trim();
      return text.charAt(0).toUpperCase() + text.slice(1);  // as the header shows it (site.css)
    });
    if (!headers.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var span = cell.colSpan || 1;
        if (span === 1 && headers[column]) cell.setAttribute("data-label", headers[column]);
        column += span;
      });
    });
    table.classList.add("cards");
  });
  // A table still wider than its box (a hall's week) scrolls: keyboard users reach it with Tab.
  document.querySelectorAll("main .table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth) wrap.setAttribute("tabindex", "0");
  });
})();
