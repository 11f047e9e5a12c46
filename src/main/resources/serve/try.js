// The page to try a model: upload or random validation image, the input the network receives, the probabilities as bars.
"use strict";

const status = document.getElementById("status");

async function loadModels() {
  const select = document.getElementById("model");
  try {
    const list = await call("/models");
    list.models.forEach(model => select.appendChild(element("option", {value: model.modelName},
        model.modelName + " (" + model.network + " " + model.inputSize + "x" + model.inputSize + ")")));
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  }
}

// The input as the network receives it: one grey plane, or red, green and blue planes, of side x side pixels.
function drawInput(pixels, channels, side) {
  const canvas = document.getElementById("input");
  canvas.width = side;
  canvas.height = side;
  const context = canvas.getContext("2d");
  const image = context.createImageData(side, side);
  const plane = side * side;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      image.data[4 * i + c] = Math.round(pixels[(channels === 3 ? c * plane : 0) + i] * 255);
    }
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}

function drawBars(predictions) {
  const bars = document.getElementById("bars");
  bars.replaceChildren();
  predictions.forEach(prediction => {
    const bar = element("div", {class: "bar"});
    bar.appendChild(element("span", {class: "name"}, prediction.className));
    const track = element("span", {class: "track"});
    const fill = element("span", {class: "fill"});
    fill.style.display = "block";
    fill.style.width = (100 * prediction.probability).toFixed(1) + "%";
    track.appendChild(fill);
    bar.appendChild(track);
    bar.appendChild(element("span", {class: "value"}, (100 * prediction.probability).toFixed(1) + "%"));
    bars.appendChild(bar);
  });
  document.getElementById("top-label").textContent = predictions[0].className;
}

function show(result) {
  // the input and the bars appear with the first answer, not as an empty canvas and box before it
  document.querySelectorAll(".result").forEach(panel => panel.hidden = false);
  drawInput(result.input, result.channels || 1, result.side || 28);
  drawBars(result.predictions);
  document.getElementById("truth").textContent = result.label !== undefined
      ? "validation image " + result.index + ", labelled " + result.label : "";
  status.textContent = "";
  status.className = "muted";
}

function failed(error) {
  document.getElementById("top-label").textContent = "";
  document.getElementById("bars").replaceChildren();
  status.textContent = error.message;
  status.className = "error";
}

async function classify(file) {
  status.textContent = "classifying " + file.name + "...";
  const model = encodeURIComponent(document.getElementById("model").value);
  const invert = document.getElementById("invert").value;
  try {
    show(await call("/api/try/" + model + "?invert=" + invert,
        {method: "POST", body: file, headers: {"Content-Type": "application/octet-stream"}}));
  } catch (error) {
    failed(error);
  }
}

async function random() {
  const model = encodeURIComponent(document.getElementById("model").value);
  try {
    show(await call("/api/random/" + model));
  } catch (error) {
    failed(error);
  }
}

document.getElementById("file").addEventListener("change", event => {
  if (event.target.files.length > 0) {
    classify(event.target.files[0]);
  }
});
const drop = document.getElementById("drop");
drop.addEventListener("dragover", event => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", event => {
  event.preventDefault();
  drop.classList.remove("over");
  if (event.dataTransfer.files.length > 0) {
    classify(event.dataTransfer.files[0]);
  }
});
document.getElementById("random").addEventListener("click", random);
loadModels();
