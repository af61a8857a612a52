// smsbook print pack: the documents are stored compressed (deflate, then base64) in scripts
// of 64 documents each (print/<n>.js, which call smsbookPack), put in place as the page
// opens: from file:// too, with no fetch(). When every document is in place, the body gets
// the class "print-ready".
(function () {
  "use strict";
  var pending = 0, parsed = false;
  // The contents: a link to each document, before the matrix's.
  function contents() {
    var list = document.getElementById("print-contents");
    if (!list) return;
    Array.prototype.forEach.call(document.querySelectorAll("article.print-doc"), function (article) {
      var title = article.querySelector("h2");
      var item = document.createElement("li"), link = item.appendChild(document.createElement("a"));
      link.href = "#" + article.id;
      link.textContent = title ? title.textContent : article.id;
      list.insertBefore(item, list.lastElementChild);
    });
  }
  function ready() {
    if (pending || !parsed) return;
    contents();
    document.body.classList.add("print-ready");
    var target = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (target) target.scrollIntoView();
  }
  function inflate(data) {
    var bytes = Uint8Array.from(atob(data), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }
  window.smsbookPack = function (n, data) {
    var here = document.currentScript;
    pending++;
    inflate(data).then(function (html) {
      here.insertAdjacentHTML("beforebegin", html);
    }, function () {
      here.insertAdjacentHTML("beforebegin", "<p>This browser cannot show the compressed documents.</p>");
    }).then(function () {
      pending--;
      ready();
    });
  };
  document.addEventListener("DOMContentLoaded", function () { parsed = true; ready(); });
})();
