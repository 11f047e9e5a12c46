// A run's board, drawn like the book's: train loss, validation loss and validation accuracy against epochs.
// It polls the run's metrics every second, so it grows while 'alexnet train' writes to the directory.
"use strict";

const run = decodeURIComponent(location.pathname.split("/")[2]);
const base = "/api/runs/" + encodeURIComponent(run);
let plot = null;
let seen = "";

function series(metrics) {
  // one x axis for both kinds of points: each series leaves the other's x values empty
  const points = [];
  metrics.trainPoints.forEach(p => points.push({x: p.x, train: p.trainLoss}));
  metrics.epochs.forEach(e => points.push({x: e.epoch, valLoss: e.valLoss, valAcc: e.valAccuracy,
    trainAcc: e.trainAccuracy}));
  points.sort((a, b) => a.x - b.x);
  return [points.map(p => p.x), points.map(p => p.train ?? null), points.map(p => p.valLoss ?? null),
    points.map(p => p.valAcc ?? null), points.map(p => p.trainAcc ?? null)];
}

// Tick labels with as many decimals as the spacing of the ticks needs, so no two read the same
// (a loss that moves in the fourth digit would otherwise show 2.302, 2.302, 2.301, ...).
function tickLabels(u, splits) {
  const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
  const digits = step > 0 ? Math.min(8, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9))) : 0;
  return splits.map(v => v == null ? "" : v.toFixed(digits));
}

function draw(metrics) {
  const data = series(metrics);
  if (plot === null) {
    const width = Math.min(900, document.querySelector("main").clientWidth - 40);
    plot = new uPlot({
      width: width, height: 360,
      scales: {x: {time: false}},
      axes: [{label: "epoch", values: tickLabels}, {label: "loss / accuracy", values: tickLabels}],
      series: [
        {label: "epoch"},
        {label: "train_loss", stroke: "#1f77b4", spanGaps: true, width: 1.5},
        {label: "val_loss", stroke: "#ff7f0e", dash: [6, 4], spanGaps: true, width: 2, points: {show: true}},
        {label: "val_acc", stroke: "#2ca02c", dash: [2, 3], spanGaps: true, width: 2, points: {show: true}},
        {label: "train_acc", stroke: "#9467bd", spanGaps: true, width: 1.5, points: {show: true}},
      ],
    }, data, document.getElementById("board"));
  } else {
    plot.setData(data);
  }
  document.getElementById("epochs-count").textContent = metrics.epochs.length;
  document.getElementById("points-count").textContent = metrics.trainPoints.length;
}

async function details() {
  const d = await call(base);
  document.getElementById("title").textContent = "Run " + d.row.name;
  document.getElementById("summary").textContent = (d.row.network || "?") + ", " + d.row.status + ", "
      + d.row.epochsDone + (d.row.maxEpochs ? " of " + d.row.maxEpochs : "") + " epochs"
      + (d.row.bestValAccuracy != null ? ", best validation accuracy " + d.row.bestValAccuracy.toFixed(4) : "")
      + (d.row.started ? ", started " + d.row.started : "")
      + (d.config && d.config.data && d.config.data.resizeSchedule
        ? ", trained at sizes " + d.config.data.resizeSchedule.stages.map(s => s.size + ":" + s.epochs).join(",")
        : "");
  document.getElementById("config").textContent = d.config ? JSON.stringify(d.config, null, 2) : "(none)";
  document.getElementById("manifest").textContent = d.manifest ? JSON.stringify(d.manifest, null, 2) : "(none)";
  const key = d.pictures.join("|");
  if (key !== seen) {
    seen = key;
    const pictures = document.getElementById("pictures");
    pictures.replaceChildren();
    d.pictures.forEach(name => {
      const figure = element("figure");
      figure.appendChild(element("img", {src: withToken("/runs/" + encodeURIComponent(run) + "/files/"
          + name.split("/").map(encodeURIComponent).join("/")), alt: name}));
      figure.appendChild(element("figcaption", {class: "muted"}, name));
      pictures.appendChild(figure);
    });
  }
}

async function refresh() {
  const status = document.getElementById("status");
  try {
    draw(await call(base + "/metrics"));
    await details();
    status.textContent = "";
    status.className = "muted";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  }
}

refresh();
setInterval(refresh, 1000);
