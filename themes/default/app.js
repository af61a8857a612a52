// smsbook: sortable and filterable tables, the phone menu. No network, works from file://.
(function () {
  "use strict";
  // The header and the sidebar are the same on every page: nav.js holds them once, with
  // links relative to the site root. This page's path is its URL less the root's.
  var root = document.body.getAttribute("data-root") || "";
  var address = window.location.href.split(/[?#]/)[0];
  var base = new URL(root || "./", address).href;
  var page = address.indexOf(base) === 0 ? decodeURI(address.slice(base.length)) : "";
  if (page === "" || page.slice(-1) === "/") page += "index.html";
  function place(element, html) {
    if (!element || typeof html !== "string") return;
    element.innerHTML = html;
    Array.prototype.forEach.call(element.querySelectorAll("a[href], form[action]"), function (e) {
      var name = e.tagName === "FORM" ? "action" : "href", target = e.getAttribute(name);
      e.setAttribute(name, root + target);
      if (name === "href" && target === page) e.setAttribute("aria-current", "page");
    });
  }
  var shared = window.smsbookNav || {};
  var main = document.getElementById("content");
  if (shared.sidebar && main && main.parentNode.classList.contains("layout")) {
    main.parentNode.insertBefore(element("nav", { id: "sidebar", "class": "sidebar", "aria-label": "Manual contents" }), main);
  }
  place(document.getElementById("topbar"), shared.header);
  place(document.getElementById("sidebar"), shared.sidebar);

  // A document page: "On this page" from its headings, "Mark as read", and the previous and
  // next documents of the sidebar's reading order.
  var article = document.querySelector("article.document");
  function element(tag, attributes, text) {
    var e = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { e.setAttribute(name, attributes[name]); });
    if (text) e.textContent = text;
    return e;
  }
  var body = article && article.querySelector(".body");
  var headings = body ? body.querySelectorAll("h2[id], h3[id], h4[id]") : [];
  if (headings.length) {
    var toc = element("nav", { "class": "toc", "aria-labelledby": "toc-title" });
    toc.appendChild(element("h2", { id: "toc-title" }, "On this page"));
    var list = toc.appendChild(element("ul", {}));
    Array.prototype.forEach.call(headings, function (h) {
      var level = Number(h.tagName.slice(1));
      var item = list.appendChild(element("li", level > 2 ? { "class": "toc-level-" + level } : {}));
      item.appendChild(element("a", { href: "#" + h.id }, h.textContent));
    });
    body.parentNode.insertBefore(toc, body);
  }
  if (article && article.hasAttribute("data-doc-id")) {
    var control = element("p", { "class": "read-control" });
    control.appendChild(element("button", { type: "button", "class": "mark-read", "aria-pressed": "false",
      "data-doc-id": article.getAttribute("data-doc-id"), "data-version": article.getAttribute("data-version") || "" }, "Mark as read"));
    control.appendChild(document.createTextNode(" "));
    control.appendChild(element("span", { "class": "read-note", "aria-live": "polite" }));
    var meta = article.querySelector(".meta");
    article.insertBefore(control, meta ? meta.nextSibling : article.children[1] || null);
  }
  var here = document.querySelector('#sidebar a[aria-current="page"]');
  if (article && here) {
    var order = Array.prototype.slice.call(document.querySelectorAll("#sidebar a"));
    var at = order.indexOf(here), steps = element("nav", { "class": "prev-next", "aria-label": "Previous and next" });
    if (order[at - 1]) steps.appendChild(element("a", { rel: "prev", href: order[at - 1].getAttribute("href") }, "← " + order[at - 1].textContent));
    if (order[at + 1]) steps.appendChild(element("a", { rel: "next", href: order[at + 1].getAttribute("href") }, order[at + 1].textContent + " →"));
    article.appendChild(steps);
  }
  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    return cell.getAttribute("data-sort") || cell.textContent.trim().toLowerCase();
  }
  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
    Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, index) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortTable(table, index, th); });
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortTable(table, index, th); }
      });
    });
  });
  function applyFilters(tableId) {
    var table = document.getElementById(tableId);
    if (!table) return;
    var status = document.querySelector('[data-filter-status="' + tableId + '"]');
    var text = document.querySelector('[data-filter-text="' + tableId + '"]');
    var wantedStatus = status ? status.value : "";
    var words = text ? text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    var shown = 0, rows = table.tBodies[0].rows;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var haystack = row.textContent.toLowerCase();
      var ok = (!wantedStatus || row.getAttribute("data-status") === wantedStatus) &&
        words.every(function (w) { return haystack.indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) shown++;
    }
    var count = document.querySelector('[data-count-for="' + tableId + '"]');
    if (count) count.textContent = shown + " of " + rows.length + " shown";
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter-status], [data-filter-text]"), function (input) {
    var id = input.getAttribute("data-filter-status") || input.getAttribute("data-filter-text");
    input.addEventListener("input", function () { applyFilters(id); });
    input.addEventListener("change", function () { applyFilters(id); });
    applyFilters(id);
  });
  // The hover link of every heading of a document's body (not repeated in each page's HTML).
  Array.prototype.forEach.call(document.querySelectorAll(".body :is(h1, h2, h3, h4, h5, h6)[id]"), function (h) {
    var a = document.createElement("a");
    a.className = "anchor";
    a.href = "#" + h.id;
    a.setAttribute("aria-label", "Link to this section");
    a.textContent = "#";
    h.insertBefore(a, h.firstChild);
  });
  var toggle = document.querySelector(".menu-toggle");
  var sidebar = document.getElementById("sidebar");
  if (toggle && sidebar) {
    toggle.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // "Mark as read", kept in this browser's local storage per document id and version: a
  // document whose version changed since it was read shows as unread again.
  var prefix = "smsbook:" + (shared.site || "") + ":read:";
  function storedVersion(id) {
    try { return window.localStorage.getItem(prefix + id); } catch (e) { return null; }
  }
  function store(id, version) {
    try {
      if (version === null) window.localStorage.removeItem(prefix + id);
      else window.localStorage.setItem(prefix + id, version);
    } catch (e) { /* storage disabled: nothing to keep */ }
  }
  function readState(id, version) {
    var stored = storedVersion(id);
    if (stored === null) return "unread";
    return stored === version ? "read" : "updated";
  }
  Array.prototype.forEach.call(document.querySelectorAll(".mark-read"), function (button) {
    var id = button.getAttribute("data-doc-id"), version = button.getAttribute("data-version") || "";
    var note = button.parentNode.querySelector(".read-note");
    function render() {
      var state = readState(id, version);
      button.setAttribute("aria-pressed", state === "read" ? "true" : "false");
      button.textContent = state === "read" ? "Read ✓ (mark as unread)" : "Mark as read";
      if (note) note.textContent = state === "updated" ? "This document changed since you read it." : "";
    }
    button.addEventListener("click", function () {
      store(id, readState(id, version) === "read" ? null : version);
      render();
    });
    render();
  });
  var list = document.getElementById("reading-list");
  if (list) {
    // Each item: a link, the document's id (.hit-id), its type and status; the state is added here.
    var items = list.querySelectorAll("li[data-version]");
    var idOf = function (item) { return item.querySelector(".hit-id").textContent; };
    Array.prototype.forEach.call(items, function (item) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", { "class": "read-state" }));
    });
    var renderList = function () {
      var read = 0;
      Array.prototype.forEach.call(items, function (item) {
        var state = readState(idOf(item), item.getAttribute("data-version") || "");
        item.setAttribute("data-read", state);
        item.querySelector(".read-state").textContent = state === "read" ? "✓ read" : state === "updated" ? "changed since you read it" : "";
        if (state === "read") read++;
      });
      var box = document.querySelector('[data-progress-for="reading-list"]');
      box.querySelector(".progress-text").textContent = read + " of " + items.length + " read";
      box.querySelector(".progress-bar").value = read;
    };
    var reset = document.querySelector('[data-reset-for="reading-list"]');
    reset.addEventListener("click", function () {
      Array.prototype.forEach.call(items, function (item) { store(idOf(item), null); });
      renderList();
    });
    renderList();
  }

  // Light, dark or the system's choice, kept in local storage (set before paint in <head>).
  var themeToggle = document.querySelector(".theme-toggle");
  if (themeToggle) {
    var modes = ["auto", "light", "dark"];
    var labels = { auto: "follows the system", light: "light", dark: "dark" };
    var current = function () { return document.documentElement.getAttribute("data-theme") || "auto"; };
    var show = function () {
      themeToggle.textContent = "Theme: " + current();
      themeToggle.setAttribute("aria-label", "Colour theme: " + labels[current()] + ". Change it");
    };
    themeToggle.addEventListener("click", function () {
      var next = modes[(modes.indexOf(current()) + 1) % modes.length];
      if (next === "auto") document.documentElement.removeAttribute("data-theme");
      else document.documentElement.setAttribute("data-theme", next);
      try {
        if (next === "auto") window.localStorage.removeItem("smsbook-theme");
        else window.localStorage.setItem("smsbook-theme", next);
      } catch (e) { /* storage disabled: the choice lasts for this page */ }
      show();
    });
    show();
  }
})();
