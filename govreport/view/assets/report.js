(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var byId = function (id) { return document.getElementById(id); };
  var words = function (s) { return (s || "").split(" ").filter(Boolean); };
  var inspector = document.querySelector("#inspector .ibody");
  function clear() {
    all(".hl, .sel").forEach(function (e) { e.classList.remove("hl", "sel"); });
  }
  function within(pane, el) {
    if (!pane || !el) return;
    var top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
  }
  function mark(id, cls) {
    var el = byId(id); if (el) el.classList.add(cls);
    all('[data-box="' + id.replace(/"/g, '\\"') + '"]').forEach(function (b) { b.classList.add(cls); });
    return el;
  }
  function markLine(n, cls) { var l = byId("L" + n); if (l) l.classList.add(cls); return l; }
  function selectCell(cell) {
    clear();
    mark(cell.id, "sel");
    var fs = words(cell.getAttribute("data-findings"));
    fs.forEach(function (f) { var li = byId(f); if (li) li.classList.add("hl"); });
    var line = cell.getAttribute("data-line");
    if (line) within(byId("source"), markLine(line, "hl"));
    if (fs.length) within(byId("findings"), byId(fs[0]));
    var tip = cell.querySelector(".tip");
    if (inspector && tip) {
      inspector.classList.remove("muted");
      inspector.innerHTML = tip.innerHTML + (fs.length ? "" : "<span>no findings involve this cell</span>");
    }
  }
  function selectFinding(li) {
    clear();
    li.classList.add("sel");
    var ids = words(li.getAttribute("data-cells"));
    var first = null;
    ids.forEach(function (id) { var el = mark(id, "hl"); first = first || el; });
    var lines = words(li.getAttribute("data-lines"));
    var l0 = null;
    lines.forEach(function (n) { var l = markLine(n, "hl"); l0 = l0 || l; });
    if (l0) within(byId("source"), l0);
    if (first) first.scrollIntoView({ block: "nearest", inline: "nearest" });
    if (inspector) {
      inspector.classList.remove("muted");
      inspector.textContent = li.getAttribute("data-code") + ": " + ids.length + " cell(s) and " +
        lines.length + " source line(s) highlighted";
    }
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest("a[href^='#']");
    if (a) {
      var target = byId(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (target && target.matches("td.cell")) { selectCell(target); }
      else if (target && target.matches("li.finding")) { selectFinding(target); }
      return;
    }
    var cell = e.target.closest("td.cell");
    if (cell) { selectCell(cell); return; }
    var li = e.target.closest("li.finding");
    if (li && !e.target.closest("summary")) { selectFinding(li); return; }
    var src = e.target.closest("ol.src li[data-cells]");
    if (src) {
      clear(); src.classList.add("hl");
      var cells = words(src.getAttribute("data-cells"));
      cells.forEach(function (id) { mark(id, "hl"); });
      var c0 = byId(cells[0]); if (c0) c0.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  });
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.matches && e.target.matches("td.cell")) {
      e.preventDefault(); selectCell(e.target);
    }
    if (e.key === "Escape") clear();
  });
})();
