/* openai-conformance HTML report: filters (operation, check, verdict) without reload, copy buttons.
   The URL fragment mirrors the filters (#verdict=failed&op=x&check=y; #filter=failed is an alias)
   so a filtered view can be shared, and tests can open the page already filtered. */
(function () {
  "use strict";
  var opSelect = document.getElementById("filter-op");
  var checkSelect = document.getElementById("filter-check");
  var verdictButtons = Array.prototype.slice.call(document.querySelectorAll(".verdict-button"));
  var status = document.getElementById("filter-status");
  var items = Array.prototype.slice.call(document.querySelectorAll(".filterable"));
  var checkCells = Array.prototype.slice.call(document.querySelectorAll("[data-check].cell, th.check-head"));
  var state = { op: "", check: "", verdict: "" };

  function matches(el) {
    var d = el.dataset;
    if (state.op && d.op !== state.op) return false;
    if (state.check) {
      if (d.checks !== undefined && (" " + d.checks + " ").indexOf(" " + state.check + " ") < 0) return false;
      if (d.checks === undefined && d.check !== undefined && d.check !== state.check) return false;
    }
    if (state.verdict && d.verdict !== undefined && d.verdict !== state.verdict) return false;
    return true;
  }

  function apply() {
    var shown = 0;
    items.forEach(function (el) {
      var ok = matches(el);
      el.classList.toggle("filtered", !ok);
      if (ok && el.parentNode.parentNode.classList.contains("matrix")) shown += 1;
    });
    checkCells.forEach(function (el) {
      el.classList.toggle("filtered", !!state.check && el.dataset.check !== state.check);
    });
    opSelect.value = state.op;
    checkSelect.value = state.check;
    verdictButtons.forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.verdict === state.verdict ? "true" : "false");
    });
    var active = [state.op, state.check, state.verdict].filter(Boolean).join(", ");
    status.textContent = active ? "filtered by " + active + " (" + shown + " rows shown)" : "";
    document.body.dataset.filter = active;
  }

  function writeHash() {
    var parts = [];
    ["op", "check", "verdict"].forEach(function (k) {
      if (state[k]) parts.push(k + "=" + encodeURIComponent(state[k]));
    });
    try {
      history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
    } catch (e) { /* some file:// contexts refuse replaceState; the filter still applies */ }
  }

  function set(key, value) {
    state[key] = value;
    apply();
    writeHash();
  }

  function readHash() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) return false;  // a plain anchor (#findings), not a filter
    var next = { op: "", check: "", verdict: "" };
    hash.split("&").forEach(function (pair) {
      var kv = pair.split("=");
      var key = kv[0] === "filter" ? "verdict" : kv[0];
      if (key in next) next[key] = decodeURIComponent(kv[1] || "");
    });
    state = next;
    apply();
    return true;
  }

  opSelect.addEventListener("change", function () { set("op", opSelect.value); });
  checkSelect.addEventListener("change", function () { set("check", checkSelect.value); });
  verdictButtons.forEach(function (b) {
    b.addEventListener("click", function () { set("verdict", b.dataset.verdict); });
  });
  document.getElementById("filter-reset").addEventListener("click", function () {
    state = { op: "", check: "", verdict: "" };
    apply();
    writeHash();
  });
  window.addEventListener("hashchange", readHash);

  // Copy buttons: the Clipboard API where allowed, else a selection and execCommand.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy") : null;
    if (!button) return;
    var text = button.parentNode.querySelector("code").textContent;
    function done(ok) {
      button.textContent = ok ? "copied" : "select and copy";
      setTimeout(function () { button.textContent = "copy"; }, 1500);
    }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(button.parentNode.querySelector("code"));
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  });

  // Printing shows every finding unfolded.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.finding").forEach(function (d) { d.open = true; });
  });

  // A failing cell's link opens the findings it points at, even under a filter.
  document.querySelectorAll(".cell.fail a").forEach(function (a) {
    a.addEventListener("click", function () {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      target.classList.remove("filtered");
      target.querySelectorAll("details").forEach(function (d) { d.open = true; });
    });
  });

  readHash();
  document.documentElement.dataset.ready = "true";
  document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
})();
