// Progressive enhancement of the application forms; everything works without it.
(function () {
  "use strict";
  var form = document.querySelector(".apply-form");
  if (!form) return;
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
  // One click, one submission (the idempotency key also protects against retries).
  form.addEventListener("submit", function () {
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0);
    }
  });
  // Move focus to the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
