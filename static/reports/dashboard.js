// The dashboard's charts, drawn with Apache ECharts (served from static/vendor/echarts) from the
// JSON the page embeds (#dashboard-data). No inline script: the site's CSP forbids it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var font = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
  var charts = [];

  function draw(id, option) {
    var element = document.getElementById(id);
    if (!element) return;
    var chart = echarts.init(element, null, { renderer: "svg" });
    option.textStyle = { fontFamily: font };
    option.grid = option.grid || { left: 48, right: 16, top: 32, bottom: 40, containLabel: true };
    chart.setOption(option);
    charts.push(chart);
  }

  function line(id, series, unit) {
    draw(id, {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", axisLabel: { formatter: "{value}" + (unit || "") } },
      series: series.map(function (s) {
        return { name: s[0], type: "line", data: s[1], connectNulls: false, showSymbol: false };
      }),
    });
  }

  // Occupancy series come as [key or name, values]: "area" and "count" are named by the page's labels.
  line("chart-occupancy", data.occupancy.map(function (s) { return [labels[s[0]] || s[0], s[1]]; }), " %");
  if (data.cluster_area) line("chart-cluster", [[labels.cluster_area, data.cluster_area]]);
  draw("chart-expiries", {
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.expiries.map(function (q) { return q[0]; }) },
    yAxis: { type: "value" },
    series: [{ name: labels.expiries, type: "bar", data: data.expiries.map(function (q) { return q[1]; }) }],
  });
  line("chart-collection", [[labels.collection_rate, data.collection_rate]], " %");
  line("chart-rent", [[labels.monthly_rent, data.monthly_rent], [labels.arrears, data.arrears]]);
  draw("chart-clusters", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"], data: data.clusters.map(function (c) { return { name: c[0], value: c[1] }; }) }],
  });
  draw("chart-pipeline", {
    tooltip: { trigger: "item" },
    series: [{ type: "funnel", sort: "none", data: data.pipeline.map(function (p) { return { name: p[0], value: p[1] }; }) }],
  });
  var heat = [];
  data.halls.hours.forEach(function (row, hall) { row.forEach(function (hours, day) { heat.push([day, hall, hours]); }); });
  draw("chart-halls", {
    tooltip: { position: "top" },
    xAxis: { type: "category", data: labels.weekdays },
    yAxis: { type: "category", data: data.halls.names },
    visualMap: { min: 0, max: Math.max.apply(null, heat.map(function (h) { return h[2]; }).concat([1])), orient: "horizontal", left: "center", bottom: 0, calculable: true },
    grid: { left: 80, right: 16, top: 8, bottom: 64, containLabel: true },
    series: [{ type: "heatmap", data: heat, label: { show: true } }],
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
