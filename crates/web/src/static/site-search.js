// Search in the static site (`journal site`): the entries are in search-index.js
// (window.JOURNAL_ENTRIES); the form's parameters are read from the address, every word must
// appear (title, text, tags), every filter must match. Results are built with textContent:
// nothing from an entry is parsed as HTML.
(function () {
  "use strict";
  var entries = window.JOURNAL_ENTRIES || [];
  var params = new URLSearchParams(window.location.search);
  var form = document.getElementById("search-form");
  var results = document.getElementById("results");
  if (!form || !results) return;
  // The form reads its values back from the address.
  params.forEach(function (value, key) {
    var field = form.elements.namedItem(key);
    if (field && "value" in field) field.value = value;
  });
  var words = (params.get("q") || "").toLowerCase().split(/\s+/).filter(Boolean);
  var filters = ["provider", "pattern", "kind", "confidence", "story"]
    .map(function (key) { return [key, params.get(key) || ""]; })
    .filter(function (pair) { return pair[1] !== ""; });
  if (words.length === 0 && filters.length === 0) return;
  var found = entries.filter(function (e) {
    var text = (e.title + " " + e.text + " " + e.tags.join(" ") + " " +
      e.provider.join(" ") + " " + e.pattern.join(" ") + " " + (e.kind || "")).toLowerCase();
    var wordsOk = words.every(function (w) { return text.indexOf(w) !== -1; });
    var filtersOk = filters.every(function (pair) {
      var value = e[pair[0]];
      return Array.isArray(value) ? value.indexOf(pair[1]) !== -1 : value === pair[1];
    });
    return wordsOk && filtersOk;
  });
  if (params.get("sort") !== "date") {
    var score = function (e) {
      var title = e.title.toLowerCase();
      return words.filter(function (w) { return title.indexOf(w) !== -1; }).length;
    };
    found.sort(function (a, b) { return score(b) - score(a) || (a.date < b.date ? 1 : -1); });
  }
  var count = document.createElement("p");
  count.id = "site-count";
  count.textContent = found.length === 1 ? "1 entry" : found.length + " entries";
  results.appendChild(count);
  found.slice(0, 200).forEach(function (e) {
    var hit = document.createElement("div");
    hit.className = "hit";
    var link = document.createElement("a");
    link.className = "title";
    link.href = "entries/" + encodeURIComponent(e.id) + ".html";
    link.textContent = e.title;
    var meta = document.createElement("div");
    meta.className = "snippet";
    meta.textContent = [e.date.slice(0, 10), e.kind].concat(e.provider, e.pattern)
      .filter(Boolean).join(" · ");
    hit.appendChild(link);
    hit.appendChild(meta);
    results.appendChild(hit);
  });
})();
