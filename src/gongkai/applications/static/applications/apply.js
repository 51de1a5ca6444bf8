// Progressive enhancement of the application forms; everything works without it.
(function () {
  "use strict";
  var form = document.querySelector(".apply-form");
  if (!form) return;
  // The page's language (<html lang>): English texts when the reader chose English.
  var english = document.documentElement.lang === "en";
  // Show only the applicant fields that apply to the chosen kind.
  var kinds = form.querySelectorAll('input[name="applicant_kind"]');
  function showGroups() {
    var checked = form.querySelector('input[name="applicant_kind"]:checked');
    var person = !checked || checked.value === "natural_person";
    form.querySelectorAll(".subgroup").forEach(function (group) {
      group.hidden = (group.dataset.for === "person") !== person;
    });
  }
  kinds.forEach(function (input) { input.addEventListener("change", showGroups); });
  showGroups();
  // Length limits are shown as a counter; nothing typed or pasted is cut off.
  form.querySelectorAll("[data-maxlength]").forEach(function (input) {
    var limit = parseInt(input.dataset.maxlength, 10);
    var counter = document.createElement("p");
    counter.className = "counter hint";
    counter.id = input.id + "-counter";
    counter.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", counter);
    function update() {
      var n = Array.from(input.value).length;
      counter.hidden = n < limit * 0.8 && !input.closest(".has-error");
      counter.textContent = english
        ? n + " of " + limit + " characters" +
          (n > limit ? "; " + (n - limit) + " too many, please shorten" : "")
        : "已输入 " + n + " / " + limit + " 字" +
          (n > limit ? "，超出 " + (n - limit) + " 字，请删减" : "");
      counter.classList.toggle("over", n > limit);
      if (n > limit) input.setAttribute("aria-invalid", "true");
    }
    input.addEventListener("input", update);
    update();
  });
  // A field another choice makes required (the address for delivery by post) is marked so.
  function markRequired() {
    form.querySelectorAll("[data-required-when]").forEach(function (input) {
      var rule = input.dataset.requiredWhen.split("=");
      var chosen = form.querySelector('[name="' + rule[0] + '"]:checked');
      var required = !!chosen && chosen.value === rule[1];
      var field = input.closest(".field");
      var mark = field && field.querySelector(".req");
      if (mark) mark.hidden = !required;
      if (required) input.setAttribute("aria-required", "true");
      else input.removeAttribute("aria-required");
    });
  }
  form.querySelectorAll('input[type="radio"]').forEach(function (input) {
    input.addEventListener("change", markRequired);
  });
  markRequired();
  // A file over the size limit is refused here, before a long upload that the server refuses.
  form.querySelectorAll('input[type="file"][data-max-bytes]').forEach(function (input) {
    var limit = parseInt(input.dataset.maxBytes, 10);
    var message = document.createElement("p");
    message.className = "field-error";
    message.id = input.id + "-size-error";
    message.hidden = true;
    input.insertAdjacentElement("afterend", message);
    input.addEventListener("change", function () {
      var big = Array.from(input.files || []).filter(function (file) { return file.size > limit; });
      if (big.length) {
        var mb = Math.round(limit / 1048576);
        var size = (big[0].size / 1048576).toFixed(1);
        message.textContent = english
          ? "The file \u201c" + big[0].name + "\u201d is " + size + " MB, over the " + mb +
            " MB limit, and was not chosen. Compress or split it and choose it again."
          : "文件「" + big[0].name + "」为 " + size + " MB，超过 " + mb +
            " MB 的上限，未选中。请压缩或拆分后重新选择。";
        message.hidden = false;
        input.value = "";
        input.setAttribute("aria-invalid", "true");
      } else {
        message.hidden = true;
        input.removeAttribute("aria-invalid");
      }
    });
  });
  // One click, one submission (the idempotency key also protects against retries).
  form.addEventListener("submit", function () {
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      setTimeout(function () { button.disabled = true; button.textContent = english ? "Submitting…" : "正在提交…"; }, 0);
    }
  });
  // Move focus to the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
