// smsbook search: the index (search-index.js) is loaded as a script on first use, so search
// works from file:// with no server. Words match by prefix after common English endings are
// stripped; clause numbers match themselves and their sub-clauses.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var index = null;
  var waiting = [];

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  // The same rule as the indexer: letters and digits, joined by "." or "-" between two of them.
  function words(text) {
    return normalise(text).match(/[\p{L}\p{N}]+(?:[.-][\p{L}\p{N}]+)*/gu) || [];
  }
  var ENDINGS = ["ational", "ations", "ation", "ements", "ement", "ments", "ment", "ness", "ings", "ing",
    "ies", "ied", "als", "al", "ers", "er", "ed", "es", "ly", "s", "e"];
  function stem(word) {
    if (!/^\p{L}+$/u.test(word)) return word;
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i];
      if (word.length - ending.length >= 4 && word.slice(-ending.length) === ending) {
        return word.slice(0, -ending.length);
      }
    }
    return word;
  }
  function isNumbered(word) {
    return /^(?:[a-z]\.)?\d+(?:\.\d+)*$/.test(word);
  }
  function matches(queryWord, indexWord) {
    if (isNumbered(queryWord)) {
      return indexWord === queryWord || indexWord.indexOf(queryWord + ".") === 0;
    }
    return indexWord.indexOf(stem(queryWord)) === 0;
  }
  // All pages of a map whose words match the query word (binary search on the sorted words).
  function lookup(keys, map, queryWord) {
    var prefix = isNumbered(queryWord) ? queryWord : stem(queryWord);
    var lo = 0, hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var pages = {};
    for (var i = lo; i < keys.length && keys[i].indexOf(prefix) === 0; i++) {
      if (!matches(queryWord, keys[i])) continue;
      var list = pagesOf(map[keys[i]]);
      for (var j = 0; j < list.length; j++) pages[list[j]] = (pages[list[j]] || 0) + 1;
    }
    return pages;
  }
  function load(callback) {
    if (index) { callback(); return; }
    waiting.push(callback);
    if (waiting.length > 1) return;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    document.head.appendChild(script);
  }
  // Postings are stored as gaps between page numbers: [3, 1, 4] is pages 3, 4 and 8.
  function pagesOf(gaps) {
    var pages = [], page = 0;
    for (var i = 0; i < gaps.length; i++) { page += gaps[i]; pages.push(page); }
    return pages;
  }
  // A page is [url, title, id, type, snippet]: the snippet is a text, or the document's place
  // in the print pack, whose groups of data.g documents (print/<n>.js) hold each text once.
  window.smsbookSearchLoaded = function (data) {
    var docs = data.d.map(function (d) { return { u: d[0], t: d[1], i: d[2], y: d[3], x: d[4] }; });
    index = { docs: docs, g: data.g, t: data.t, b: data.b, tKeys: Object.keys(data.t).sort(), bKeys: Object.keys(data.b).sort() };
    var callbacks = waiting;
    waiting = [];
    callbacks.forEach(function (f) { f(); });
  };

  // The texts of a print pack group (deflate, base64), loaded as a script on first need.
  var groups = {}, arriving = {};
  function inflate(data) {
    var bytes = Uint8Array.from(atob(data), function (c) { return c.charCodeAt(0); });
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"))).text();
  }
  // The plain text of each document of a group: its body, blocks separated by spaces.
  function texts(html) {
    var articles = new DOMParser().parseFromString(html, "text/html").querySelectorAll("article.print-doc");
    return Array.prototype.map.call(articles, function (article) {
      article.querySelectorAll(":scope > h2:first-child, :scope > .print-meta").forEach(function (e) { e.remove(); });
      article.querySelectorAll("p, li, td, th, h3, h4, h5, h6, pre, dt, dd, caption").forEach(function (e) { e.append(" "); });
      return article.textContent.replace(/\s+/g, " ").trim();
    });
  }
  window.smsbookPack = function (n, data) {
    var done = arriving[n];
    delete arriving[n];
    if (done) inflate(data).then(texts).catch(function () { return []; }).then(done);
  };
  function group(n) {
    if (!groups[n]) {
      groups[n] = new Promise(function (resolve) {
        if (typeof DecompressionStream !== "function") { resolve([]); return; }
        arriving[n] = resolve;
        var script = document.createElement("script");
        script.src = root + "print/" + n + ".js";
        script.onerror = function () { delete arriving[n]; resolve([]); };
        document.head.appendChild(script);
      });
    }
    return groups[n];
  }
  // Fills the snippets of the results in `container` as they come into view.
  function fillSnippets(container, terms) {
    var spans = container.querySelectorAll(".hit-snippet[data-place]");
    function fill(span) {
      var place = Number(span.getAttribute("data-place"));
      span.removeAttribute("data-place");
      group(Math.floor(place / index.g)).then(function (list) {
        var text = list[place % index.g];
        span.innerHTML = text ? snippet(text, terms) : "";
      });
    }
    if (typeof IntersectionObserver !== "function") { spans.forEach(fill); return; }
    if (container.snippetObserver) container.snippetObserver.disconnect(); // the results it watched are gone
    var observer = container.snippetObserver = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { observer.unobserve(e.target); fill(e.target); }
      });
    });
    spans.forEach(function (span) { observer.observe(span); });
  }
  function search(query) {
    var terms = words(query);
    if (!terms.length || !index) return [];
    var scores = null;
    terms.forEach(function (term) {
      var inTitle = lookup(index.tKeys, index.t, term);
      var inBody = lookup(index.bKeys, index.b, term);
      var found = {};
      Object.keys(inTitle).forEach(function (p) { found[p] = 10; });
      Object.keys(inBody).forEach(function (p) { found[p] = (found[p] || 0) + 1; });
      if (scores === null) { scores = found; return; }
      var next = {};
      Object.keys(scores).forEach(function (p) { if (found[p]) next[p] = scores[p] + found[p]; });
      scores = next;
    });
    return Object.keys(scores).map(function (p) { return { doc: index.docs[p], score: scores[p] }; })
      .sort(function (a, b) { return b.score - a.score || (a.doc.t < b.doc.t ? -1 : 1); });
  }
  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  // Wraps the words of `text` that match the query in <mark>.
  function highlight(text, terms) {
    return escapeHtml(text).replace(/[\p{L}\p{N}]+(?:[.-][\p{L}\p{N}]+)*/gu, function (word) {
      var normal = normalise(word);
      return terms.some(function (t) { return matches(t, normal); }) ? "<mark>" + word + "</mark>" : word;
    });
  }
  function snippet(text, terms) {
    var found = -1, list = words(text), position = 0, normal = normalise(text);
    for (var i = 0; i < list.length && found < 0; i++) {
      position = normal.indexOf(list[i], position);
      if (terms.some(function (t) { return matches(t, list[i]); })) found = position;
      position += list[i].length;
    }
    var start = Math.max(0, found - 60);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var piece = text.slice(start, start + 180);
    return (start > 0 ? "… " : "") + highlight(piece, terms) + (start + 180 < text.length ? " …" : "");
  }
  function link(doc, query) {
    return root + doc.u + "?highlight=" + encodeURIComponent(query);
  }
  function resultHtml(result, terms, query, tag, role) {
    var d = result.doc;
    return "<" + tag + ' class="search-hit"' + (role ? ' role="' + role + '"' : "") + ' href="' + escapeHtml(link(d, query)) + '">' +
      '<span class="hit-title">' + highlight(d.t, terms) + "</span>" +
      (d.i ? ' <span class="hit-id">' + escapeHtml(d.i) + "</span>" : "") +
      ' <span class="hit-type">' + escapeHtml(d.y) + "</span>" +
      (typeof d.x === "number" ? '<span class="hit-snippet" data-place="' + d.x + '">…</span>' :
        '<span class="hit-snippet">' + snippet(d.x, terms) + "</span>") + "</" + tag + ">";
  }

  // The box in the header: results as you type, arrows to move, Enter opens the best hit.
  var input = document.getElementById("search-input");
  var box = document.getElementById("search-results");
  var selected = -1;
  function show(open) {
    box.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function update() {
    var query = input.value.trim();
    if (!query) { show(false); return; }
    load(function () {
      var results = search(query), terms = words(query);
      selected = -1;
      if (!results.length) {
        box.innerHTML = '<p class="no-hits">No page matches “' + escapeHtml(query) + "”.</p>";
      } else {
        box.innerHTML = results.slice(0, 8).map(function (r, i) {
          return resultHtml(r, terms, query, "a", "option").replace('role="option"', 'role="option" id="search-hit-' + i + '"');
        }).join("") + '<a class="all-hits" href="' + escapeHtml(root + "search.html?q=" + encodeURIComponent(query)) + '">All ' + results.length + " results</a>";
      }
      show(true);
      fillSnippets(box, terms);
    });
  }
  function move(step) {
    var hits = box.querySelectorAll(".search-hit");
    if (!hits.length) return;
    selected = (selected + step + hits.length) % hits.length;
    Array.prototype.forEach.call(hits, function (h, i) { h.setAttribute("aria-selected", i === selected ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", hits[selected].id);
    hits[selected].scrollIntoView({ block: "nearest" });
  }
  if (input && box) {
    input.addEventListener("focus", function () { load(function () {}); });
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Escape") { show(false); input.blur(); }
      else if (e.key === "Enter") {
        var query = input.value.trim();
        if (!query || !index) return;
        var results = search(query);
        if (!results.length) return; // the form opens the search page
        e.preventDefault();
        var hit = results[selected >= 0 ? selected : 0].doc;
        window.location.href = link(hit, query);
      }
    });
    document.addEventListener("click", function (e) { if (!box.contains(e.target) && e.target !== input) show(false); });
  }
  document.addEventListener("keydown", function (e) {
    var target = e.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if (e.key === "/" && !typing && input) { e.preventDefault(); input.focus(); }
  });

  function parameter(name) {
    var match = new RegExp("[?&]" + name + "=([^&#]*)").exec(window.location.search);
    return match ? decodeURIComponent(match[1].replace(/\+/g, " ")) : "";
  }

  // The search page: every result for ?q=.
  var list = document.getElementById("search-page-results");
  if (list) {
    var query = parameter("q");
    var field = document.getElementById("search-page-input");
    var status = document.getElementById("search-page-status");
    if (field) field.value = query;
    if (query) {
      load(function () {
        var results = search(query), terms = words(query);
        status.textContent = results.length + (results.length === 1 ? " page matches " : " pages match ") + "“" + query + "”.";
        list.innerHTML = results.map(function (r) { return "<li>" + resultHtml(r, terms, query, "a", "") + "</li>"; }).join("");
        fillSnippets(list, terms);
      });
    }
  }

  // A page opened from a search: mark the words searched for and show the first one.
  var wanted = parameter("highlight");
  var content = document.getElementById("content");
  if (wanted && content) {
    var terms = words(wanted);
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, null);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      if (!node.nodeValue.trim() || (node.parentNode && /^(SCRIPT|STYLE|MARK)$/.test(node.parentNode.tagName))) return;
      var html = highlight(node.nodeValue, terms);
      if (html.indexOf("<mark>") < 0) return;
      var span = document.createElement("span");
      span.innerHTML = html;
      first = first || span.querySelector("mark");
      node.parentNode.replaceChild(span, node);
    });
    if (first) first.scrollIntoView({ block: "center" });
  }
})();
