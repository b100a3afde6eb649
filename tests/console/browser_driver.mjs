// A headless Chromium (the system's, /usr/bin/chromium) driven by
// puppeteer-core, one JSON command a line on stdin, one JSON answer a line
// on stdout. console_test.py says what to do; this only does it, so the
// scenario lives in one place beside the EA it drives.
//
// Usage: node browser_driver.mjs NODE_DIR (where node_modules/puppeteer-core is).
//
//   {"do": "open", "url": ...}                       load a page
//   {"do": "go", "hash": "#/positions"}              another page of the console
//   {"do": "type", "selector": ..., "text": ...}     type into a field
//   {"do": "click", "selector": ...}
//   {"do": "select", "selector": ..., "value": ...}   choose an option
//   {"do": "wait_text", "selector": ..., "text": ..., "timeout_ms": ...}
//        until an element matching the selector has exactly that text
//   {"do": "wait_gone", "selector": ..., "timeout_ms": ...}
//   {"do": "inspect", "selector": ...}  the first match's textContent and
//        how many elements it holds (to see markup where text should be)
//   {"do": "session"}      sessionStorage, document.cookie, the URL
//   {"do": "screenshot", "path": ...}
//   {"do": "events"}       dialogs opened, page errors, console errors and
//                          CSP violations seen so far
//   {"do": "quit"}
// Answers: {"ok": true, ...} or {"ok": false, "error": "..."}.
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const puppeteer = createRequire(resolve(process.argv[2], "package.json"))("puppeteer-core");

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start;
  // --disable-dev-shm-usage: containers often give /dev/shm only 64 MB.
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-extensions",
    "--window-size=1280,900"],
});
const page = await browser.newPage();
await page.setViewport({ width: 1280, height: 900 });
const events = { dialogs: [], page_errors: [], console_errors: [], csp_violations: [] };
page.on("dialog", async (dialog) => {
  events.dialogs.push(dialog.type() + ": " + dialog.message());
  await dialog.dismiss();
});
page.on("pageerror", (error) => events.page_errors.push(String(error)));
page.on("console", (message) => {
  if (message.type() === "error") events.console_errors.push(message.text());
});
// Violations are reported to the page as events: passed on to this process.
await page.exposeFunction("reportCspViolation", (text) => events.csp_violations.push(text));
await page.evaluateOnNewDocument(() => {
  document.addEventListener("securitypolicyviolation", (e) => reportCspViolation(e.violatedDirective + " " + e.blockedURI));
});

const commands = {
  async open({ url }) {
    const response = await page.goto(url, { waitUntil: "load" });
    return { status: response.status() };
  },
  async go({ hash }) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    return {};
  },
  async type({ selector, text }) {
    await page.waitForSelector(selector, { visible: true, timeout: 5000 });
    await page.type(selector, text);
    return {};
  },
  async select({ selector, value }) {
    await page.waitForSelector(selector, { visible: true, timeout: 5000 });
    await page.select(selector, value);
    return {};
  },
  async click({ selector }) {
    // The 1 s refresh may redraw the element between finding and clicking
    // it: find it again then.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.waitForSelector(selector, { visible: true, timeout: 5000 });
        await page.click(selector);
        return {};
      } catch (error) {
        if (attempt === 3 || !/detached|not clickable|no node/i.test(String(error))) throw error;
      }
    }
  },
  async wait_text({ selector, text, timeout_ms = 10000 }) {
    try {
      await page.waitForFunction(
        (sel, want) => [...document.querySelectorAll(sel)].some((e) => e.textContent.trim() === want),
        { timeout: timeout_ms, polling: 50 }, selector, text);
    } catch (error) {
      const seen = await page.$$eval(selector, (all) => all.map((e) => e.textContent.trim()).slice(0, 5));
      throw new Error(`no ${selector} with text ${JSON.stringify(text)} after ${timeout_ms} ms (seen: ${JSON.stringify(seen)})`);
    }
    return {};
  },
  async wait_gone({ selector, timeout_ms = 10000 }) {
    await page.waitForFunction((sel) => !document.querySelector(sel), { timeout: timeout_ms, polling: 50 }, selector);
    return {};
  },
  async inspect({ selector }) {
    return page.$eval(selector, (e) => ({ text: e.textContent, elements: e.querySelectorAll("*").length }));
  },
  async session() {
    return page.evaluate(() => ({
      session_storage: Object.fromEntries(Object.entries(sessionStorage)),
      cookie: document.cookie,
      url: location.href,
    }));
  },
  async screenshot({ path }) {
    await page.screenshot({ path, fullPage: true });
    return {};
  },
  async events() {
    return events;
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line);
  if (command.do === "quit") break;
  let answer;
  try {
    answer = { ok: true, ...(await commands[command.do](command)) };
  } catch (error) {
    answer = { ok: false, error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
