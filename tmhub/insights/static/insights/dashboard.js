/* Draws each dashboard chart from the ECharts option the server embedded beside it
   (json_script; no inline script under the CSP) and resizes them with the window. */
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll(".tm-chart").forEach(function (element) {
    var source = document.getElementById(element.dataset.option);
    if (!source || typeof echarts === "undefined") { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.on("finished", function () { element.dataset.rendered = "true"; });
    chart.setOption(JSON.parse(source.textContent));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
