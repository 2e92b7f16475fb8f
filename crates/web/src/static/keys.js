// Keyboard: `/` to the search box, `j` / `k` to the next / previous entry, `g` then `t` to the
// timeline. Keys typed into a field are left alone.
(function () {
  "use strict";
  var pending = null;
  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  function entries() {
    return Array.prototype.slice.call(document.querySelectorAll(".entry"));
  }
  function move(step) {
    var list = entries();
    if (!list.length) return;
    var at = list.indexOf(document.activeElement && document.activeElement.closest(".entry"));
    var next = list[Math.max(0, Math.min(list.length - 1, at + step))];
    if (at < 0) next = list[step > 0 ? 0 : list.length - 1];
    var link = next.querySelector("a") || next;
    if (!next.hasAttribute("tabindex") && link === next) next.setAttribute("tabindex", "-1");
    link.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    if (pending === "g" && e.key === "t") {
      pending = null;
      // The header's Timeline link: "/" when served, index.html in a static site.
      var home = document.querySelector("header a[href]");
      window.location.href = home ? home.href : "/";
      return;
    }
    pending = null;
    if (e.key === "/") {
      var q = document.getElementById("q");
      if (q) {
        e.preventDefault();
        q.focus();
      }
    } else if (e.key === "j") {
      move(1);
    } else if (e.key === "k") {
      move(-1);
    } else if (e.key === "g") {
      pending = "g";
    }
  });
})();
