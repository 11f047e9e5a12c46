// The list of run directories, refreshed every two seconds.
"use strict";

async function refresh() {
  const status = document.getElementById("status");
  try {
    const runs = await call("/api/runs");
    const body = document.querySelector("#runs tbody");
    body.replaceChildren();
    runs.forEach(run => {
      const row = element("tr");
      const link = element("a", {href: "/runs/" + encodeURIComponent(run.name)}, run.name);
      const first = element("td");
      first.appendChild(link);
      row.appendChild(first);
      row.appendChild(element("td", {}, run.network || "?"));
      row.appendChild(element("td", {}, run.status));
      row.appendChild(element("td", {}, run.epochsDone + (run.maxEpochs ? " / " + run.maxEpochs : "")));
      row.appendChild(element("td", {}, run.bestValAccuracy != null ? run.bestValAccuracy.toFixed(4) : ""));
      row.appendChild(element("td", {}, run.started ? run.started.replace("T", " ").substring(0, 19) : ""));
      body.appendChild(row);
    });
    status.textContent = runs.length === 0 ? "no run directories yet" : "";
    status.className = "muted";
  } catch (error) {
    status.textContent = error.message;
    status.className = "error";
  }
}

refresh();
setInterval(refresh, 2000);
