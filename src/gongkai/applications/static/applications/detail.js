// The reply form: show which letter fields the chosen disposition needs. Works without it.
(function () {
  "use strict";
  var data = document.getElementById("reply-info");
  var select = document.getElementById("id_reply-disposition");
  var box = document.getElementById("reply-needs");
  if (!data || !select || !box) return;
  var info = JSON.parse(data.textContent);
  function labelOf(name) {
    var label = document.querySelector('label[for="id_reply-' + name + '"]');
    return label ? label.textContent.trim() : name;
  }
  function update() {
    var chosen = info.filter(function (row) { return row.value === select.value; })[0];
    if (!chosen) { box.hidden = true; return; }
    var needs = chosen.needs.filter(function (n) { return n !== "ground"; }).map(labelOf);
    box.textContent = "《" + chosen.letter + "》依据：" + chosen.articles +
      (needs.length ? "。须填写：" + needs.join("、") : "。无须另填内容");
    box.hidden = false;
  }
  select.addEventListener("change", update);
  update();
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
