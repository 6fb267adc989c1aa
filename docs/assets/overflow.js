/* Wide tables and long display formulas scroll sideways on a narrow screen. Where one does, this
   says so: its hidden edge fades out (site.css, data-overflow-left/right), and it becomes a
   focusable, labelled region so that keyboard readers can scroll it too. Runs on every page
   Material shows, including after instant navigation (document$). */
(function () {
  "use strict";
  var SELECTOR = ".md-typeset .math-display, .md-typeset .md-typeset__scrollwrap, .md-typeset .figure-zoom";

  function update(el) {
    var overflowing = el.scrollWidth > el.clientWidth + 1;
    // A figure is a link, which keyboards reach already; other regions are made focusable.
    if (overflowing && !el.hasAttribute("tabindex") && el.tagName !== "A") {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", el.classList.contains("math-display") ? "Formula, scrolls sideways" : "Table, scrolls sideways");
    }
    el.toggleAttribute("data-overflow-left", overflowing && el.scrollLeft > 1);
    el.toggleAttribute("data-overflow-right", overflowing && el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
  }

  function setUp() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      if (el.hasAttribute("data-overflow-watched")) return;
      el.setAttribute("data-overflow-watched", "");
      el.addEventListener("scroll", function () { update(el); }, {passive: true});
      update(el);
    });
  }

  window.addEventListener("resize", function () { document.querySelectorAll(SELECTOR).forEach(update); });
  if (window.document$) window.document$.subscribe(setUp); else setUp();
})();
