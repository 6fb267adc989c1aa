/* Interactive figures: a range input steps through frames that were computed when the site was
   built (see hooks/shortcodes.py, slider). No computation happens here, only drawing. Without
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
