/* The issue ledger: sort by any column, filter by text and status.
   Progressive enhancement: without this script the page is a complete table.
   A ledger too long for one page is cut by month and page: the filter then works on the
   page shown, and the links to the month's other pages carry the same filter (?q=…&status=…).
   On the months' index (ledger.html), an old link to ledger.html#编号 is sent on to the
   page that now holds that issue (ledger/ids.js says which). */
(function () {
  "use strict";
  var lookup = document.getElementById("ledger-lookup");
  if (lookup && window.location.hash.length > 1) {
    var wanted = decodeURIComponent(window.location.hash.slice(1));
    var loader = document.createElement("script");
    loader.src = lookup.getAttribute("data-ids");
    loader.onload = function () {
      var data = window.reportgenLedgerPages;
      var page = data && Object.prototype.hasOwnProperty.call(data.ids, wanted) ? data.pages[data.ids[wanted]] : null;
      if (page) { window.location.replace(lookup.getAttribute("data-root") + page + "#" + encodeURIComponent(wanted)); }
    };
    document.head.appendChild(loader);
  }
  var table = document.getElementById("ledger");
  var controls = document.getElementById("ledger-controls");
  if (!table || !controls || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var scoped = controls.getAttribute("data-scope") === "page";
  var pageLinks = Array.prototype.slice.call(document.querySelectorAll(".pager a, #ledger-controls a.page-link"));
  pageLinks.forEach(function (a) { a.setAttribute("data-base", a.getAttribute("href")); });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var search = el("input", { type: "search", id: "ledger-search", placeholder: "输入企业、问题、单位等关键词筛选", "aria-label": "筛选" });
  var status = el("select", { id: "ledger-status", "aria-label": "按状态筛选" });
  status.appendChild(el("option", { value: "" }, "全部状态"));
  var seen = {};
  rows.forEach(function (r) { seen[r.getAttribute("data-status")] = true; });
  (controls.getAttribute("data-statuses") || "").split("|").forEach(function (s) {
    if (seen[s] || scoped) { status.appendChild(el("option", { value: s }, s)); }
  });
  var count = el("span", { "class": "count", id: "ledger-count", "aria-live": "polite" });
  var note = controls.firstElementChild;
  controls.appendChild(search);
  controls.appendChild(status);
  controls.appendChild(count);
  if (note) { controls.appendChild(note); }
  controls.hidden = false;

  var texts = rows.map(function (r) { return r.textContent.replace(/\s+/g, " ").toLowerCase(); });

  function filter() {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = status.value;
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = (!wanted || r.getAttribute("data-status") === wanted) &&
        words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = (scoped ? "本页显示 " : "显示 ") + shown + " / " + rows.length + " 件";
    carry(search.value.trim(), wanted);
  }

  function carry(words, wanted) {
    var query = new URLSearchParams();
    if (words) { query.set("q", words); }
    if (wanted) { query.set("status", wanted); }
    var text = query.toString();
    pageLinks.forEach(function (a) {
      a.setAttribute("href", a.getAttribute("data-base") + (text ? "?" + text : ""));
    });
  }

  // A cell says data-sort only where it sorts otherwise than by its text (a date, a blank: rows.py).
  function key(row, index, type) {
    var cell = row.cells[index];
    var value = cell.getAttribute("data-sort");
    if (value === null) { value = cell.textContent.trim(); }
    if (type === "int") { return value === "" ? -Infinity : Number(value); }
    return value;
  }

  function sortBy(index) {
    var th = heads[index];
    var type = th.getAttribute("data-type");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (r, i) { return { row: r, key: key(r, index, type), i: i }; });
    keyed.sort(function (a, b) {
      var c = type === "int" ? a.key - b.key : (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      if (c === 0) { return a.i - b.i; }
      return ascending ? c : -c;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }

  heads.forEach(function (th, index) {
    var button = el("button", { type: "button", "class": "sort" }, th.textContent);
    button.addEventListener("click", function () { sortBy(index); });
    th.textContent = "";
    th.appendChild(button);
  });
  search.addEventListener("input", filter);
  status.addEventListener("change", filter);
  var query = new URLSearchParams(window.location.search);
  if (query.get("q")) { search.value = query.get("q"); }
  if (query.get("status")) { status.value = query.get("status"); }
  filter();
}());
