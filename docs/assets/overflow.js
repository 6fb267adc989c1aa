/* Wide tables and long display formulas scroll sideways on a narrow screen. Where one does, this
   says so: its hidden edge fades out (site.css, data-overflow-left/right), and it becomes a
   focusable, labelled region so that keyboard readers can scroll it too. Runs on every page
   Material shows (document$). */
(function () {
  "use strict";
  var SELECTOR = ".md-typeset .math-display, .md-typeset .md-typeset__scrollwrap, .md-typeset .figure-zoom";

  // Every element is measured first and changed after: measuring one after changing another would
  // make the browser lay the page out again for each (on a long chapter, most of a phone's load).
  function measure(el) {
    var overflowing = el.scrollWidth > el.clientWidth + 1;
    return {
      el: el,
      overflowing: overflowing,
      left: overflowing && el.scrollLeft > 1,
      right: overflowing && el.scrollLeft + el.clientWidth < el.scrollWidth - 1
    };
  }

  function apply(m) {
    var el = m.el;
    // A figure is a link, which keyboards reach already; other regions are made focusable.
    if (m.overflowing && !el.hasAttribute("tabindex") && el.tagName !== "A") {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", el.classList.contains("math-display") ? "Formula, scrolls sideways" : "Table, scrolls sideways");
    }
    el.toggleAttribute("data-overflow-left", m.left);
    el.toggleAttribute("data-overflow-right", m.right);
  }

  function update(elements) {
    elements.map(measure).forEach(apply);
  }

  function setUp() {
    var fresh = Array.prototype.filter.call(document.querySelectorAll(SELECTOR), function (el) {
      return !el.hasAttribute("data-overflow-watched");
    });
    fresh.forEach(function (el) {
      el.addEventListener("scroll", function () { update([el]); }, {passive: true});
    });
    update(fresh);
    fresh.forEach(function (el) { el.setAttribute("data-overflow-watched", ""); });
  }

  window.addEventListener("resize", function () { update(Array.prototype.slice.call(document.querySelectorAll(SELECTOR))); });
  if (window.document$) window.document$.subscribe(setUp); else setUp();
})();
