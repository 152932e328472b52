/* Draws each dashboard chart from the ECharts option the server embedded beside it
   (json_script; no inline script under the CSP), opens the records behind a bar when it is
   clicked and resizes the charts with the window. */
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll(".tm-chart").forEach(function (element) {
    var source = document.getElementById(element.dataset.option);
    if (!source || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.on("finished", function () { element.dataset.rendered = "true"; });
    chart.setOption(JSON.parse(source.textContent));
    var drill = document.getElementById(element.dataset.drill);
    var urls = drill ? JSON.parse(drill.textContent) : {};
    chart.on("click", function (params) {
      // a bar opens the records behind its category (district, kind, stage …)
      if (urls[params.name]) { window.location.href = urls[params.name]; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
