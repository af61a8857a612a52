// smsbook: turns ```mermaid blocks into diagrams, in the browser, with the Mermaid library
// shipped with the theme (no network). Loaded only on pages that have a diagram. A diagram
// with a syntax error shows the error and its source instead of a blank space.
(function () {
  "use strict";
  if (!window.mermaid) return;
  var chosen = document.documentElement.getAttribute("data-theme");
  var dark = chosen === "dark" || (chosen !== "light" && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: dark ? "dark" : "default",
    // Edge labels on a solid background with readable text (WCAG AA contrast).
    themeVariables: dark ? { edgeLabelBackground: "#1c2028", tertiaryTextColor: "#e6e9ef" } : { edgeLabelBackground: "#ffffff" }
  });
  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  var blocks = document.querySelectorAll("pre.mermaid");
  Array.prototype.forEach.call(blocks, function (pre, i) {
    var source = pre.textContent;
    var id = "smsbook-diagram-" + i;
    window.mermaid.parse(source)
      .then(function () { return window.mermaid.render(id, source); })
      .then(function (result) {
        var figure = document.createElement("figure");
        figure.className = "diagram";
        figure.setAttribute("role", "img");
        figure.setAttribute("aria-label", "Diagram " + (i + 1));
        figure.innerHTML = result.svg;
        pre.parentNode.replaceChild(figure, pre);
      })
      .catch(function (error) {
        var leftover = document.getElementById("d" + id);
        if (leftover) leftover.parentNode.removeChild(leftover);
        var box = document.createElement("div");
        box.className = "diagram-error";
        box.setAttribute("role", "note");
        box.innerHTML = "<p><strong>This diagram could not be drawn:</strong> " + escapeHtml(error && error.message ? error.message : error) +
          "</p><pre><code>" + escapeHtml(source) + "</code></pre>";
        pre.parentNode.replaceChild(box, pre);
      });
  });
})();
