/* Progressive enhancement of the procurement countdowns (templates/procurement/includes/countdown.html):
 * the server already wrote "距投标截止还有12天3小时" or "已截止"; this refreshes the words every minute
 * while the page stays open. Same rounding as the server (cms/procurement/templatetags/procurement_tags.py). */
(function () {
  "use strict";

  function remaining(ms) {
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    minutes -= days * 1440;
    var hours = Math.floor(minutes / 60);
    minutes -= hours * 60;
    if (days) { return hours ? days + "天" + hours + "小时" : days + "天"; }
    if (hours) { return minutes ? hours + "小时" + minutes + "分钟" : hours + "小时"; }
    if (minutes) { return minutes + "分钟"; }
    return "不足1分钟";
  }

  // The words below are Chinese: on other languages' pages only the server's own (translated) texts are used.
  var chinese = /^zh/i.test(document.documentElement.lang || "");

  function update() {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown]"), function (box) {
      var target = Date.parse(box.getAttribute("data-countdown"));
      var left = box.querySelector(".zfcg-countdown__left");
      if (isNaN(target) || !left) { return; }
      var passed = target <= now;
      if (!passed && !chinese) { return; }
      var text = passed ? box.getAttribute("data-after") : box.getAttribute("data-before") + remaining(target - now);
      if (left.textContent !== text) { left.textContent = text; }
      box.classList.toggle("is-passed", passed);
      box.classList.toggle("is-soon", !passed && target - now <= 72 * 3600 * 1000);
    });
  }

  if (document.querySelector("[data-countdown]")) {
    window.setInterval(update, 60000);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { update(); }
    });
  }
})();
