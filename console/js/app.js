// The console's shell: login, the page for the address's #fragment, and
// the 1 s refresh of whichever page is shown (each refresh starts only
// after the last one finished, so a slow server is never asked twice).
import { admin, ApiError, forgetToken, saveToken, token } from "./api.js";
import audit from "./pages/audit.js";
import commands from "./pages/commands.js";
import devices from "./pages/devices.js";
import overview from "./pages/overview.js";
import position from "./pages/position.js";
import positions from "./pages/positions.js";
import slippage from "./pages/slippage.js";

const REFRESH_MS = 1000;

// #fragment -> page; a page is create(container, ...captures) -> {refresh()}.
const ROUTES = [
  [/^#?\/?$/, overview],
  [/^#\/positions$/, positions],
  [/^#\/positions\/([^/]+)$/, position],
  [/^#\/commands$/, commands],
  [/^#\/devices$/, devices],
  [/^#\/slippage$/, slippage],
  [/^#\/audit$/, audit],
];

const $ = (id) => document.getElementById(id);
let shown = 0; // which page generation is current: a stale refresh stops

function say(message, kind = "") {
  $("status").textContent = message;
  $("status").className = "status " + kind;
}

function showLogin(message = "") {
  shown++;
  $("nav").hidden = true;
  $("page").hidden = true;
  $("page").replaceChildren();
  $("login").hidden = false;
  $("login-error").textContent = message;
  $("token").focus();
}

async function refreshLoop(page, generation) {
  while (generation === shown) {
    try {
      await page.refresh();
      if (generation !== shown) return;
      say("updated " + new Date().toLocaleTimeString());
    } catch (error) {
      if (generation !== shown) return;
      if (error instanceof ApiError && error.status === 401) {
        forgetToken();
        return showLogin("The server refused the token: " + error.message);
      }
      say((error instanceof ApiError ? error.code + ": " : "") + error.message, "bad");
    }
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
  }
}

function showPage() {
  if (!token()) return showLogin();
  const generation = ++shown;
  $("login").hidden = true;
  $("nav").hidden = false;
  const hash = location.hash || "#/";
  for (const link of $("nav").querySelectorAll("a")) {
    const target = link.getAttribute("href");
    link.classList.toggle("current", target === "#/" ? hash === "#/" : hash.startsWith(target));
  }
  const container = $("page");
  container.replaceChildren();
  container.hidden = false;
  for (const [pattern, create] of ROUTES) {
    const match = hash.match(pattern);
    if (!match) continue;
    const captures = match.slice(1).map(decodeURIComponent);
    refreshLoop(create(container, ...captures), generation);
    return;
  }
  container.textContent = "There is no page at " + hash + ".";
}

async function logIn(event) {
  event.preventDefault();
  const value = $("token").value.trim();
  saveToken(value);
  try {
    await admin("GET", "/health");
    $("token").value = "";
    showPage();
  } catch (error) {
    forgetToken();
    $("token").value = "";
    showLogin(error.message);
  }
}

$("login").addEventListener("submit", logIn);
$("logout").addEventListener("click", () => {
  forgetToken();
  showLogin();
});
window.addEventListener("hashchange", showPage);
showPage();
