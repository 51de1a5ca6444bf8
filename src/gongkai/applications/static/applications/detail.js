// The reply form (or the clerk's draft of it): show which letter fields the chosen
// disposition needs. Works without it.
(function () {
  "use strict";
  var data = document.getElementById("reply-info");
  var prefix = document.getElementById("id_draft_reply-disposition") ? "draft_reply" : "reply";
  var select = document.getElementById("id_" + prefix + "-disposition");
  var box = document.getElementById("reply-needs");
  if (!data || !select || !box) return;
  var info = JSON.parse(data.textContent);
  function labelOf(name) {
    var label = document.querySelector('label[for="id_' + prefix + '-' + name + '"]');
    return label ? label.textContent.trim() : name;
  }
  var letterFields = Array.prototype.slice.call(
    document.querySelectorAll("#action-" + prefix + " .field")
  ).filter(function (field) {
    return !/-(on|disposition)-field$/.test(field.id);
  });
  function showFields(chosen) {
    letterFields.forEach(function (field) {
      var name = field.id.replace("id_" + prefix + "-", "").replace(/-field$/, "");
      var wanted = chosen && (chosen.needs.indexOf(name) >= 0 ||
        chosen.optional.indexOf(name) >= 0 || name === "contact_phone");
      // Keep a field that already holds text or an error visible.
      var input = field.querySelector("input, textarea");
      field.hidden = !(wanted || field.classList.contains("has-error") || (input && input.value));
    });
  }
  function update() {
    var chosen = info.filter(function (row) { return row.value === select.value; })[0];
    showFields(chosen);
    if (!chosen) { box.hidden = true; return; }
    var needs = chosen.needs.filter(function (n) { return n !== "ground"; }).map(labelOf);
    // The letter keeps its Chinese title (it is issued in Chinese); the rest follows the page.
    box.textContent = document.documentElement.lang === "en"
      ? "Letter 《" + chosen.letter + "》, under " + chosen.articles +
        (needs.length ? ". To fill in: " + needs.join(", ") : ". Nothing else to fill in.")
      : "《" + chosen.letter + "》依据：" + chosen.articles +
        (needs.length ? "。须填写：" + needs.join("、") : "。无须另填内容");
    box.hidden = false;
  }
  select.addEventListener("change", update);
  update();
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
