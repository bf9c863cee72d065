// Names for the admin's form controls that Django leaves without a label: the boxes of a tabular
// inline (named by their column), the time half of a date-and-time field, Select2's search box and
// the many-to-many picker's search icon; and a table wider than its box reachable by keyboard.
// Checked with axe-core by tests/parkops/test_page_walk.py.
(function () {
  "use strict";

  function hasName(control) {
    return (control.labels && control.labels.length) || control.hasAttribute("aria-label") ||
      control.hasAttribute("aria-labelledby") || control.type === "hidden";
  }

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/[:：]\s*$/, "").trim() : "";
  }

  function nameTabularControls() {
    document.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      table.querySelectorAll("tbody td").forEach(function (cell) {
        var field = Array.prototype.find.call(cell.classList, function (name) { return name.indexOf("field-") === 0; });
        var header = field ? table.querySelector("thead th.column-" + field.slice(6)) :
          cell.classList.contains("delete") ? table.querySelector("thead th:last-child") : null;
        if (!text(header)) return;
        cell.querySelectorAll("input, select, textarea").forEach(function (control) {
          if (!hasName(control)) control.setAttribute("aria-label", text(header));
        });
      });
    });
  }

  function nameDateTimeHalves() {
    document.querySelectorAll("p.datetime").forEach(function (paragraph) {
      var inputs = paragraph.querySelectorAll("input");
      var field = inputs.length && inputs[0].labels && inputs[0].labels[0] ? text(inputs[0].labels[0]) : "";
      inputs.forEach(function (input) {
        var before = input.previousSibling;
        while (before && before.nodeType === Node.ELEMENT_NODE && before.tagName === "BR") before = before.previousSibling;
        var part = before && before.nodeType === Node.TEXT_NODE ? text(before) : "";
        if (!input.hasAttribute("aria-label") && (part || field)) {
          input.setAttribute("aria-label", [field, part].filter(Boolean).join(" · "));
        }
      });
    });
  }

  function nameSelect2Searches(root) {
    root.querySelectorAll(".select2-search__field").forEach(function (search) {
      var container = search.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.labels && select.labels[0];
      if (label && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", text(label));
    });
  }

  function markPickerIcons() {
    // SelectFilter2 names its search icon with aria-label on a bare span, which needs a role.
    document.querySelectorAll(".selector .help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function scrollableByKeyboard() {
    document.querySelectorAll(".inline-group .tabular, #changelist .results").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    });
  }

  // After Django's own load handlers (the pickers and calendars are built on load).
  window.addEventListener("load", function () {
    window.setTimeout(function () {
      nameTabularControls();
      nameDateTimeHalves();
      nameSelect2Searches(document);
      markPickerIcons();
      scrollableByKeyboard();
      // Select2 writes its search box again as choices change; an inline row can be added.
      new MutationObserver(function () {
        nameSelect2Searches(document);
        nameTabularControls();
      }).observe(document.body, { childList: true, subtree: true });
    }, 0);
  });
})();
