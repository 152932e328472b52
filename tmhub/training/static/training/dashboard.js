/* Draws every dashboard chart from the ECharts option the server embedded beside it, and fits
   the category labels to the chart's width (a phone has a third of a desktop's): long district
   and field names are cut with an ellipsis instead of squeezing the bars, each bar's name wraps
   under it instead of being hidden, and a pie names its slices in the legend only. */
(function () {
  "use strict";
  var NARROW = 576;
  var charts = [];

  function fit(chart, element, option) {
    var width = element.clientWidth;
    var update = {};
    if (option.yAxis && option.yAxis.type === "category") {  // horizontal bars
      update.yAxis = { axisLabel: { width: Math.round(width * 0.35), overflow: "truncate" } };
    } else if (option.xAxis && option.xAxis.type === "category" && option.xAxis.data &&
               option.xAxis.data.length <= 8) {
      update.xAxis = { axisLabel: { interval: 0, overflow: "break",
                                    width: Math.floor((width - 96) / option.xAxis.data.length) } };
    }
    if (option.series && option.series[0] && option.series[0].type === "pie") {
      update.series = [{ label: { show: width >= NARROW } }];
    }
    chart.setOption(update);
  }

  document.querySelectorAll(".tm-chart").forEach(function (element) {
    var source = document.getElementById(element.dataset.option);
    if (!source || typeof echarts === "undefined") { return; }
    var option = JSON.parse(source.textContent);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.on("finished", function () { element.dataset.rendered = "true"; });
    chart.setOption(option);
    fit(chart, element, option);
    charts.push({ chart: chart, element: element, option: option });
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (item) {
      item.chart.resize();
      fit(item.chart, item.element, item.option);
    });
  });
})();
