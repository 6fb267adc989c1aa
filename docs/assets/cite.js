/* The "cite" buttons (see hooks/cite.py): copy the Markdown link computed at build time and show
   the plain URL beside the button. Works from the keyboard: the buttons are ordinary buttons. */
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

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".cite-button") : null;
    if (!button) return;
    event.preventDefault();
    var box = status(button);
    var url = button.getAttribute("data-cite-url");
    copy(button.getAttribute("data-cite-markdown")).then(function () {
      box.textContent = "Markdown link copied. URL: ";
    }, function () {
      box.textContent = "Copy this URL: ";
    }).then(function () {
      var field = document.createElement("input");
      field.type = "text";
      field.readOnly = true;
      field.value = url;
      field.className = "cite-url";
      field.setAttribute("aria-label", "Permalink");
      field.size = Math.min(url.length, 60);
      box.appendChild(field);
    });
  });
})();
