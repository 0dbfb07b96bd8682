/**
 * The script of report.html. It reads the panel specs (already compiled to Vega) from the
 * page's JSON block and renders each with the inlined Vega runtime as SVG. Tooltip text is
 * set with textContent, never as HTML. When every view has run, <body> gets
 * data-rendered="true" (or "failed", after logging the error to the console).
 */
export const PAGE_SCRIPT = `
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("sigh-data").textContent);
  var tip = document.getElementById("tooltip");
  window.sighViews = {};

  function showTooltip(handler, event, item, value) {
    if (value === null || value === undefined || value === "") {
      tip.hidden = true;
      return;
    }
    tip.textContent = "";
    var entries = typeof value === "object" ? Object.keys(value) : [""];
    entries.forEach(function (key) {
      var line = document.createElement("div");
      var name = document.createElement("b");
      name.textContent = key;
      line.appendChild(name);
      var text = typeof value === "object" ? value[key] : value;
      line.appendChild(document.createTextNode(" " + String(text)));
      tip.appendChild(line);
    });
    tip.hidden = false;
    var x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = Math.min(event.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(0, x) + "px";
    tip.style.top = Math.max(0, y) + "px";
  }

  var runs = payload.panels.map(function (panel) {
    var spec = panel.spec;
    (spec.data || []).forEach(function (data) {
      if (data.name === "points") {
        data.values = payload.points.map(function (p) { return Object.assign({}, p); });
      }
    });
    var view = new vega.View(vega.parse(spec), {
      renderer: "svg",
      container: "#chart-" + panel.key,
      hover: true,
      tooltip: showTooltip
    });
    window.sighViews[panel.key] = view;
    return view.runAsync();
  });

  Promise.all(runs).then(
    function () { document.body.setAttribute("data-rendered", "true"); },
    function (error) {
      console.error(error);
      document.body.setAttribute("data-rendered", "failed");
    }
  );
})();
`;
