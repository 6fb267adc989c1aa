/* The site's own scripts, one file so that a page loads one script of ours, not three. The three
   parts are independent of each other; their styles are in site.css. */

/* Interactive figures: a range input steps through frames that were computed when the site was
   built (sitekit/shortcodes.py, slider). No computation happens here, only drawing. Without
   JavaScript the widget stays hidden and the static figure after it is shown instead. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 640, HEIGHT = 300, LEFT = 44, RIGHT = 12, TOP = 12, BOTTOM = 34;

  function element(name, attributes, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function setUp(widget) {
    var data = JSON.parse(widget.getAttribute("data-frames"));
    var input = widget.querySelector("input[type=range]");
    var svg = widget.querySelector("svg.slider-plot");
    var readout = widget.querySelector(".slider-readout");
    var value = widget.querySelector("[data-slider-value]");
    var x0 = data.x[0], x1 = data.x[data.x.length - 1], y0 = data.ylim[0], y1 = data.ylim[1];
    function sx(x) { return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT); }
    function sy(y) { return TOP + (y1 - y) / (y1 - y0) * (HEIGHT - TOP - BOTTOM); }
    function points(ys) {
      return ys.map(function (y, i) { return sx(data.x[i]).toFixed(1) + "," + sy(y).toFixed(1); }).join(" ");
    }

    element("rect", {x: LEFT, y: TOP, width: WIDTH - LEFT - RIGHT, height: HEIGHT - TOP - BOTTOM, class: "slider-frame"}, svg);
    (data.yticks || [y0, 0, y1]).forEach(function (tick) {
      if (tick < y0 || tick > y1) return;
      element("line", {x1: LEFT, x2: WIDTH - RIGHT, y1: sy(tick), y2: sy(tick), class: "slider-grid"}, svg);
      element("text", {x: LEFT - 6, y: sy(tick) + 4, class: "slider-tick", "text-anchor": "end"}, svg).textContent = tick;
    });
    [x0, (x0 + x1) / 2, x1].forEach(function (tick) {
      element("text", {x: sx(tick), y: HEIGHT - BOTTOM + 16, class: "slider-tick", "text-anchor": "middle"}, svg).textContent = tick;
    });
    if (data.reference) {
      element("polyline", {points: points(data.reference.y), class: "slider-reference"}, svg);
    }
    var lines = data.series.map(function (series, i) {
      return element("polyline", {class: "slider-series slider-series-" + i}, svg);
    });
    // The legend is HTML under the plot, so that it never covers a curve; each swatch is drawn
    // with the same classes as its line.
    var entries = (data.reference ? [{name: data.reference.name, cls: "slider-reference"}] : []).concat(
      data.series.map(function (s, i) { return {name: s.name, cls: "slider-series slider-series-" + i}; }));
    var legend = document.createElement("ul");
    legend.className = "slider-legend";
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var swatch = element("svg", {viewBox: "0 0 28 8", width: 28, height: 8, class: "slider-plot", "aria-hidden": "true"}, item);
      element("line", {x1: 0, x2: 28, y1: 4, y2: 4, class: entry.cls}, swatch);
      item.appendChild(document.createTextNode(" " + entry.name));
      legend.appendChild(item);
    });
    svg.parentNode.insertBefore(legend, svg.nextSibling);

    function show(index) {
      lines.forEach(function (line, i) { line.setAttribute("points", points(data.series[i].frames[index])); });
      value.textContent = data.values[index];
      readout.textContent = data.readouts[index];
      input.setAttribute("aria-valuetext", data.readouts[index]);
    }
    input.addEventListener("input", function () { show(Number(input.value)); });
    show(Number(input.value));

    var fallback = document.getElementById(widget.getAttribute("data-static"));
    if (fallback) fallback.hidden = true;
    widget.hidden = false;
  }

  // Every page Material shows (document$); each widget once.
  function setUpAll() {
    document.querySelectorAll("[data-slider]:not([data-slider-ready])").forEach(function (widget) {
      widget.setAttribute("data-slider-ready", "");
      setUp(widget);
    });
  }
  if (window.document$) window.document$.subscribe(setUpAll); else setUpAll();
})();

/* The "cite" buttons (sitekit/cite.py): copy the Markdown link computed at build time (pinned to
   the version being read) and show the permalinks to this version and to the latest, and the
   BibTeX entry, beside the button. Works from the keyboard: the buttons are ordinary buttons. */
(function () {
  "use strict";

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for pages served over plain http: a temporary textarea and execCommand.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function status(button) {
    var next = button.nextElementSibling;
    if (next && next.classList.contains("cite-status")) return next;
    var box = document.createElement("span");
    box.className = "cite-status";
    box.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", box);
    return box;
  }

  // Material's search dialog has no accessible name; give it one.
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search the site");

  function field(label, value, multiline) {
    var row = document.createElement("label");
    row.className = "cite-field";
    row.textContent = label + " ";
    var input = document.createElement(multiline ? "textarea" : "input");
    if (!multiline) { input.type = "text"; input.size = Math.min(value.length, 60); }
    else { input.rows = value.split("\n").length; }
    input.readOnly = true;
    input.value = value;
    input.className = multiline ? "cite-bibtex" : "cite-url";
    row.appendChild(input);
    return row;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".cite-button") : null;
    if (!button) return;
    event.preventDefault();
    var box = status(button);
    var latest = button.getAttribute("data-cite-url");
    var pinned = button.getAttribute("data-cite-pinned");
    var version = button.getAttribute("data-cite-version") || "";
    copy(button.getAttribute("data-cite-markdown")).then(function () {
      box.textContent = "Markdown link copied (" + version + ").";
    }, function () {
      box.textContent = "Copy a link (" + version + "):";
    }).then(function () {
      if (pinned) box.appendChild(field("This version:", pinned));
      else box.appendChild(document.createTextNode(" This text has no address of its own until its release."));
      box.appendChild(field("Latest:", latest));
      box.appendChild(field("BibTeX:", button.getAttribute("data-cite-bibtex") || "", true));
    });
  });
})();

/* Wide tables and long display formulas scroll sideways on a narrow screen. Where one does, this
   says so: its hidden edge fades out (site.css, data-overflow-left/right), and it becomes a
   focusable, labelled region so that keyboard readers can scroll it too. */
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

/* On a published release (/v/X.Y/), a claim whose statement has changed since: the latest text's
   claim-digests.json (same host, two folders up from the version's; sitekit/claims.py) gives each
   claim's digest and page; where it differs from the digest on the box, a notice links to the
   current statement. */
(function () {
  "use strict";
  var match = location.pathname.match(/^(.*\/)v\/(\d+\.\d+)\//);
  if (!match || !document.querySelector("[data-statement-digest]")) return;
  var root = match[1];
  fetch(root + "claim-digests.json").then(function (response) {
    return response.ok ? response.json() : {};
  }).then(function (current) {
    document.querySelectorAll("[data-statement-digest]").forEach(function (box) {
      var now = Object.prototype.hasOwnProperty.call(current, box.id) ? current[box.id] : null;
      if (!now || now.digest === box.getAttribute("data-statement-digest")) return;
      var notice = document.createElement("p");
      notice.className = "claim-changed";
      notice.appendChild(document.createTextNode("This claim's statement has changed since version " + match[2] + ". "));
      var link = document.createElement("a");
      link.href = root + now.path;
      link.textContent = "Read the current statement";
      notice.appendChild(link);
      notice.appendChild(document.createTextNode("."));
      box.insertBefore(notice, box.children[1] || null);
    });
  }).catch(function () { /* offline or no latest text: the page reads as it was released */ });
})();
