/* Site search enhancements: suggestions while typing, and the facet panel opened on wide screens.
 * Progressive enhancement only: without this file the search forms are plain GET forms and the facets a
 * <details> to open. Loaded with `defer` from our own origin (CSP script-src 'self'); no inline script or
 * style, no handler attributes.
 *
 * Suggestions follow the WAI-ARIA 1.2 combobox pattern (list autocomplete, manual selection):
 *   the <input> gets role=combobox, aria-autocomplete=list, aria-expanded, aria-controls and, while an
 *   option is highlighted, aria-activedescendant; DOM focus stays in the input.
 *   Down/Up move through the options (opening the list), Enter opens the highlighted one (or submits the
 *   form as usual), Escape closes the list, Alt+Down opens it, Tab and a click outside close it.
 *   The number of suggestions is announced in a polite live region.
 * Which inputs: input[data-suggest] (the search page) and the header's search box (.site-search).
 * Texts: from the nearest [data-suggest-label] element (the search page's form renders them translated),
 * else Chinese defaults. Suggestions come from GET /api/search/suggest?q= (same origin). */
(function () {
  "use strict";

  if (window.portalSearchSuggest) { return; }  // included twice (page and base template): run once
  window.portalSearchSuggest = true;

  var doc = document;
  var DELAY = 150;
  var MAX_LENGTH = 40;
  var DEFAULTS = {
    suggestUrl: "/api/search/suggest",
    suggestLabel: "搜索提示",
    suggestCount: "有 {n} 条搜索提示，可用上下方向键选择，按回车键打开。",
    suggestNone: "没有搜索提示。",
    kindDocument: "政府文件",
    kindInterpretation: "政策解读",
    kindResource: "信息资源",
    kindNews: "新闻动态",
    kindService: "办事指南",
    kindProcurement: "政府采购",
    kindPage: "网页"
  };
  var counter = 0;

  function texts(input) {
    var source = (input.form && input.form.hasAttribute("data-suggest-label")) ? input.form
      : doc.querySelector("[data-suggest-label]");
    var out = {};
    Object.keys(DEFAULTS).forEach(function (key) {
      out[key] = (source && source.dataset[key]) || DEFAULTS[key];
    });
    return out;
  }

  function kindLabel(strings, kind) {
    if (!kind) { return ""; }
    return strings["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || "";
  }

  function Combobox(input) {
    var self = this;
    counter += 1;
    this.input = input;
    this.strings = texts(input);
    this.id = (input.id || "search-suggest-" + counter) + "-listbox";
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.cache = {};
    this.lastQuery = null;

    var holder = input.parentNode;
    holder.classList.add("suggest-holder");

    this.listbox = doc.createElement("ul");
    this.listbox.id = this.id;
    this.listbox.className = "suggest-list";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", this.strings.suggestLabel);
    this.listbox.hidden = true;
    holder.appendChild(this.listbox);

    // Present from the start, so the first announcement is not lost.
    this.status = doc.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    holder.appendChild(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("data-suggest-ready", "");

    input.addEventListener("input", function () { self.schedule(); });
    input.addEventListener("keydown", function (event) { self.onKey(event); });
    input.addEventListener("blur", function () { self.close(); });
    // Keep the focus in the input while the pointer picks an option.
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
    });
    this.listbox.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.highlight(Number(option.getAttribute("data-index")), false); }
    });
  }

  Combobox.prototype.query = function () {
    return this.input.value.replace(/\s+/g, " ").trim().slice(0, MAX_LENGTH);
  };

  Combobox.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.fetch(self.query()); }, DELAY);
  };

  Combobox.prototype.fetch = function (q) {
    var self = this;
    if (!q) {
      this.lastQuery = "";
      this.render([], false);
      return;
    }
    if (q === this.lastQuery && this.items.length) { this.open(); return; }
    this.lastQuery = q;
    if (this.cache.hasOwnProperty(q)) { this.render(this.cache[q], true); return; }
    if (this.request) { this.request.abort(); }
    var controller = window.AbortController ? new AbortController() : null;
    this.request = controller;
    var url = this.strings.suggestUrl + "?q=" + encodeURIComponent(q);
    window.fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      var items = Array.isArray(data) ? data.filter(function (item) {
        return item && item.title && item.url;
      }) : [];
      self.cache[q] = items;
      if (self.query() === q && doc.activeElement === self.input) { self.render(items, true); }
    }).catch(function () {
      /* Aborted or offline: the form still submits as usual. */
    });
  };

  Combobox.prototype.render = function (items, announce) {
    var self = this;
    this.items = items;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    while (this.listbox.firstChild) { this.listbox.removeChild(this.listbox.firstChild); }
    items.forEach(function (item, index) {
      var option = doc.createElement("li");
      option.id = self.id + "-" + index;
      option.className = "suggest-list__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var title = doc.createElement("span");
      title.className = "suggest-list__title";
      title.textContent = item.title;
      option.appendChild(title);
      var kind = kindLabel(self.strings, item.kind);
      if (kind) {
        var tag = doc.createElement("span");
        tag.className = "suggest-list__kind";
        tag.textContent = kind;
        option.appendChild(tag);
      }
      self.listbox.appendChild(option);
    });
    if (items.length) { this.open(); } else { this.close(); }
    if (announce) {
      this.announce(items.length ? this.strings.suggestCount.replace("{n}", String(items.length))
        : this.strings.suggestNone);
    } else {
      this.announce("");
    }
  };

  Combobox.prototype.announce = function (message) {
    var status = this.status;
    // Clear first, so the same message (e.g. "8 条") is read again after the next keystroke.
    status.textContent = "";
    if (message) { setTimeout(function () { status.textContent = message; }, 50); }
  };

  Combobox.prototype.open = function () {
    if (!this.items.length) { return; }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Combobox.prototype.close = function () {
    clearTimeout(this.timer);
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.highlight(-1, false);
  };

  Combobox.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Combobox.prototype.highlight = function (index, scroll) {
    var options = this.listbox.querySelectorAll("[role=option]");
    this.active = index;
    Array.prototype.forEach.call(options, function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("is-active", i === index);
    });
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      if (scroll && options[index].scrollIntoView) { options[index].scrollIntoView({ block: "nearest" }); }
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.move = function (step) {
    var count = this.items.length;
    if (!count) { return; }
    if (!this.isOpen()) {
      this.open();
    }
    var next = this.active + step;
    if (this.active < 0) { next = step > 0 ? 0 : count - 1; }
    if (next >= count) { next = 0; }
    if (next < 0) { next = count - 1; }
    this.highlight(next, true);
  };

  Combobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) { return; }
    this.input.value = item.title;
    this.close();
    window.location.assign(item.url);
  };

  Combobox.prototype.onKey = function (event) {
    if (event.isComposing || event.keyCode === 229) { return; }  // an IME is composing (拼音输入)
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        if (event.altKey) { this.open(); } else if (this.items.length) { this.move(1); } else { return; }
        event.preventDefault();
        break;
      case "ArrowUp":
      case "Up":
        if (!this.items.length) { return; }
        this.move(-1);
        event.preventDefault();
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        }
        break;
      case "Escape":
      case "Esc":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        }
        break;
      case "Tab":
        this.close();
        break;
      case "Home":
      case "End":
      case "ArrowLeft":
      case "ArrowRight":
      case "Left":
      case "Right":
        this.highlight(-1, false);  // the keys edit the text again
        break;
      default:
        break;
    }
  };

  function enhance() {
    if (!window.fetch || !doc.body.classList) { return; }
    Array.prototype.forEach.call(
      doc.querySelectorAll("input[data-suggest], .site-search input[name=q]"),
      function (input) {
        if (!input.hasAttribute("data-suggest-ready")) { new Combobox(input); }
      }
    );
  }

  // The facet panel (/search/): a <details> that is collapsed on phones and the side column on wide screens.
  function openPanelsOnWideScreens() {
    var panels = doc.querySelectorAll("details[data-open-wide]");
    if (!panels.length || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 60rem)");
    function update() {
      if (wide.matches) {
        Array.prototype.forEach.call(panels, function (panel) {
          if (!panel.hasAttribute("data-user-toggled")) { panel.open = true; }
        });
      }
    }
    Array.prototype.forEach.call(panels, function (panel) {
      panel.querySelector("summary").addEventListener("click", function () {
        panel.setAttribute("data-user-toggled", "");
      });
    });
    update();
    if (wide.addEventListener) { wide.addEventListener("change", update); }
  }

  enhance();
  openPanelsOnWideScreens();
})();
