/* 适老化 display modes (gongkai.portal.display). Without this file the header's buttons still
   work (a GET form that sets the gk_display cookie); with it they switch at once and the choice
   is kept in the cookie and in localStorage (a cached page rendered without the cookie gets its
   classes back from there). Loaded in <head>, so the classes are on <html> before the page paints. */
(function () {
  "use strict";
  var MODES = { large: "gk-large", contrast: "gk-contrast" };
  var KEY = "gk_display";
  var root = document.documentElement;

  function cookieValue() {
    var m = document.cookie.match(/(?:^|;\s*)gk_display=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : null;
  }
  function stored() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function save(value) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    if (value) {
      document.cookie = KEY + "=" + value + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
    } else {
      document.cookie = KEY + "=; Max-Age=0; Path=/; SameSite=Lax" + secure;
    }
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode: cookie only */ }
  }
  function active() {
    return Object.keys(MODES).filter(function (m) { return root.classList.contains(MODES[m]); });
  }
  function apply(value) {
    var words = (value || "").split(".");
    Object.keys(MODES).forEach(function (m) {
      root.classList.toggle(MODES[m], words.indexOf(m) >= 0);
    });
  }
  function syncButtons() {
    var on = active();
    var buttons = document.querySelectorAll("button[data-display]");
    for (var i = 0; i < buttons.length; i++) {
      var mode = buttons[i].getAttribute("data-display");
      buttons[i].setAttribute("aria-pressed", on.indexOf(mode) >= 0 ? "true" : "false");
    }
  }

  // The cookie wins (the server rendered from it); else the stored copy, written back.
  var fromCookie = cookieValue();
  if (fromCookie !== null) {
    apply(fromCookie);
  } else if (stored()) {
    apply(stored());
    save(stored());
  }

  document.addEventListener("DOMContentLoaded", syncButtons);
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-display]") : null;
    if (!button) { return; }
    event.preventDefault();
    var mode = button.getAttribute("data-display");
    root.classList.toggle(MODES[mode]);
    save(active().join("."));
    syncButtons();
  });
})();
