// Draws the staff dashboard's charts from the JSON the page carries, and again after htmx swaps
// in the figures of another period.
(function () {
  "use strict";
  var charts = [];
  var palette = ["#2b4a8b", "#1f7a4d", "#8a5a00", "#b3261e", "#6b4c9a", "#00796b", "#9e9d24", "#5d4037"];

  function money(value) { return "₹" + Number(value).toLocaleString("en-IN"); }

  function draw() {
    var source = document.getElementById("dashboard-chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
    var data = JSON.parse(source.textContent);
    var config = {
      sales: {type: "line", data: {labels: data.sales.labels, datasets: [{label: "Revenue", data: data.sales.revenue,
        borderColor: palette[0], backgroundColor: "rgba(43,74,139,.12)", fill: true, tension: .25}]},
        options: {plugins: {legend: {display: false}, tooltip: {callbacks: {label: function (c) { return money(c.raw); }}}},
          scales: {y: {beginAtZero: true}}}},
      statuses: {type: "bar", data: {labels: data.statuses.labels, datasets: [{label: "Orders", data: data.statuses.orders,
        backgroundColor: palette[1]}]}, options: {plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}},
      top: {type: "bar", data: {labels: data.top.labels, datasets: [{label: "Revenue", data: data.top.revenue,
        backgroundColor: palette[2]}]}, options: {indexAxis: "y", plugins: {legend: {display: false}}}},
      categories: {type: "doughnut", data: {labels: data.categories.labels, datasets: [{data: data.categories.revenue,
        backgroundColor: palette}]}, options: {plugins: {legend: {position: "bottom"}}}}
    };
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chartConfig = config[canvas.dataset.chart];
      if (chartConfig) { charts.push(new Chart(canvas, chartConfig)); }
    });
    document.body.dataset.dashboardCharts = String(charts.length);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSwap", draw);
})();
