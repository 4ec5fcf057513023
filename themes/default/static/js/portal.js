/* Progressive enhancement only: every feature of the portal works without this file.
 * Loaded with `defer` from our own origin (CSP script-src 'self'); no inline handlers. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  root.classList.add("js");

  function each(selector, fn) {
    Array.prototype.forEach.call(doc.querySelectorAll(selector), fn);
  }

  // Print buttons: hidden in the HTML (they need JavaScript), revealed here.
  each(".js-print", function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Printed pages show absolute link targets (print.css reads data-print-url).
  each("main a[href]", function (link) {
    var href = link.getAttribute("href") || "";
    if (href && href.charAt(0) !== "#" && !/^(mailto|tel|javascript):/i.test(href)) {
      var url = link.href;
      try { url = decodeURI(url); } catch (e) { /* keep it encoded */ }
      link.setAttribute("data-print-url", url);
    }
  });

  // Scrollable table regions stay keyboard-focusable only when they actually scroll.
  function updateRegions() {
    each(".table-wrap", function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(updateRegions, 150);
  });
  updateRegions();

  // 适老化模式: a text-size control (标准 / 大 / 特大), remembered in this browser.
  if (root.classList.contains("elder")) {
    var tools = doc.querySelector(".topbar__tools");
    var sizes = [["", "标准"], ["elder-size-large", "大"], ["elder-size-xlarge", "特大"]];
    var key = "portal.elderTextSize";
    var stored = "";
    try { stored = window.localStorage.getItem(key) || ""; } catch (e) { stored = ""; }

    function apply(name) {
      sizes.forEach(function (size) { if (size[0]) { root.classList.remove(size[0]); } });
      if (name) { root.classList.add(name); }
      each(".font-size-group button", function (button) {
        button.setAttribute("aria-pressed", button.getAttribute("data-size") === name ? "true" : "false");
      });
      try { window.localStorage.setItem(key, name); } catch (e) { /* private mode: not remembered */ }
    }

    if (tools) {
      var item = doc.createElement("li");
      var group = doc.createElement("div");
      group.className = "font-size-group";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "字号");
      var label = doc.createElement("span");
      label.setAttribute("aria-hidden", "true");
      label.textContent = "字号：";
      group.appendChild(label);
      sizes.forEach(function (size) {
        var button = doc.createElement("button");
        button.type = "button";
        button.className = "tool-button";
        button.setAttribute("data-size", size[0]);
        button.textContent = size[1];
        button.addEventListener("click", function () { apply(size[0]); });
        group.appendChild(button);
      });
      item.appendChild(group);
      tools.insertBefore(item, tools.firstChild);
    }
    var valid = sizes.some(function (size) { return size[0] === stored; });
    apply(valid ? stored : "");
  }
})();
