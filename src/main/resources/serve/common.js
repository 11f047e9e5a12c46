// Shared by the pages: requests with the optional bearer token, and the token prompt on 401.
"use strict";

// Every page gets the same header and, hidden until a request is refused, the token prompt.
document.addEventListener("DOMContentLoaded", () => {
  document.body.insertAdjacentHTML("afterbegin", '<header><h1>alexnet</h1><a href="/">try a model</a>'
      + '<a href="/runs">training runs</a><a href="/metrics">metrics</a></header>');
  document.querySelector("main").insertAdjacentHTML("afterbegin", '<div id="token-box" class="panel">'
      + 'This server needs a token: <input id="token" type="password" size="30"> '
      + '<button onclick="saveToken()">use it</button></div>');
});

function token() {
  return sessionStorage.getItem("alexnet-token") || "";
}

async function call(url, options) {
  options = options || {};
  options.headers = Object.assign({}, options.headers || {});
  if (token()) {
    options.headers["Authorization"] = "Bearer " + token();
  }
  const response = await fetch(url, options);
  if (response.status === 401) {
    showTokenBox();
  }
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error((body && body.error) || ("HTTP " + response.status));
  }
  return body;
}

function withToken(url) {
  return token() ? url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token()) : url;
}

function showTokenBox() {
  const box = document.getElementById("token-box");
  if (box) {
    box.style.display = "block";
  }
}

function saveToken() {
  sessionStorage.setItem("alexnet-token", document.getElementById("token").value.trim());
  location.reload();
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}
