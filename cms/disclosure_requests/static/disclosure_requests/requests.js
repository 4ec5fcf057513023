/* 依申请公开: progressive enhancement only; every page works without it. */
(function () {
  "use strict";

  // After a failed submission the error summary takes the focus, so screen readers announce it.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }

  // Show only the identity fields of the chosen kind of applicant (without script both stay visible).
  var form = document.querySelector(".ysq-form[data-kind-switch]");
  if (form) {
    var person = form.querySelector("[data-kind='person']");
    var organisation = form.querySelector("[data-kind='organisation']");
    var sync = function () {
      var checked = form.querySelector("input[name='applicant_kind']:checked");
      var kind = checked ? checked.value : "";
      person.hidden = kind !== "" && kind !== "person";
      organisation.hidden = kind === "" || kind === "person";
    };
    form.querySelectorAll("input[name='applicant_kind']").forEach(function (input) {
      input.addEventListener("change", sync);
    });
    sync();
  }

  // One click, one submission (the server also ignores a repeated submission key).
  document.querySelectorAll("form[data-submit-once]").forEach(function (f) {
    f.addEventListener("submit", function () {
      var button = f.querySelector("button[type='submit']");
      if (!button) { return; }
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.getAttribute("data-busy") || button.textContent;
      }, 0);
    });
  });
})();
