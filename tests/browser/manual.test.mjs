// Browser tests: the built sample manual opened from file:// in headless Chromium.
// Needs Debian's chromium (or CHROMIUM=/path/to/chrome) and the smsbook binary built by
// `cargo build` (or SMSBOOK=/path/to/smsbook). Screenshots go to target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.SMSBOOK || join(repo, "target/debug/smsbook");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = join(repo, "target/screenshots");
const site = join(mkdtempSync(join(tmpdir(), "smsbook-browser-")), "site");
let browser;

before(async () => {
  assert.ok(existsSync(binary), `build smsbook first (cargo build): ${binary} is missing`);
  assert.ok(existsSync(executablePath), `install Chromium (apt-get install chromium): ${executablePath} is missing`);
  execFileSync(binary, ["build", "--dest", site, "--today", "2026-12-01"], { cwd: repo, stdio: "pipe" });
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
});

/** Opens a page of the built site and records console errors and page errors. */
async function open(path, { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme });
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfailed", (request) => errors.push(`failed to load ${request.url()}`));
  await page.goto(pathToFileURL(join(site, path)).href);
  return { page, errors };
}

for (const [path, name] of [
  ["index.html", "home"],
  ["processes/change-management.html", "document"],
  ["clauses/8.5.1.html", "clause"],
  ["matrix.html", "matrix"],
  ["register.html", "register"],
]) {
  test(`${path} opens from file:// without console errors`, async () => {
    const { page, errors } = await open(path);
    assert.deepEqual(errors, []);
    // The shared navigation script filled the sidebar.
    const links = await page.locator("#sidebar a").count();
    assert.ok(links > 40, `sidebar has ${links} links`);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
    await page.close();
  });
}

test("the document page highlights itself in the sidebar and links its clauses", async () => {
  const { page } = await open("processes/change-management.html");
  const current = page.locator('#sidebar a[aria-current="page"]');
  assert.equal(await current.count(), 1);
  assert.equal(await current.textContent(), "Change Management Process");
  // Built by app.js from the page: "On this page", "Mark as read", previous and next.
  const toc = await page.locator("nav.toc a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const headings = await page.locator(".body :is(h2, h3, h4)[id]").evaluateAll((hs) => hs.map((h) => "#" + h.id));
  assert.ok(toc.length >= 3, `${toc}`);
  assert.deepEqual(toc, headings);
  assert.equal(await page.locator(".meta + .read-control .mark-read").getAttribute("data-doc-id"), "PRC-CHG-001");
  const order = await page.locator("#sidebar a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const at = order.findIndex((href) => href.endsWith("processes/change-management.html"));
  assert.equal(await page.locator('.prev-next a[rel="prev"]').getAttribute("href"), order[at - 1]);
  assert.equal(await page.locator('.prev-next a[rel="next"]').getAttribute("href"), order[at + 1]);
  assert.equal(await page.locator('.top-links a[href="../register.html"]').count(), 1, "header links from the page's folder");
  await page.locator('.claims a[href$="clauses/8.5.1.3.html"]').click();
  await page.waitForURL(/clauses\/8\.5\.1\.3\.html$/);
  assert.match(await page.locator("h1").textContent(), /8\.5\.1\.3 Change management activities/);
  await page.close();
});

test("the matrix filters by status and text, and sorts", async () => {
  const matrix = JSON.parse(readFileSync(join(site, "matrix.json"), "utf8"));
  // matrix.html is the primary standard's matrix; matrix.json holds every standard in use.
  const clauses = matrix.clauses.filter((c) => c.standard === matrix.summary.standard);
  const gaps = clauses.filter((c) => c.status === "gap").length;
  const { page, errors } = await open("matrix.html");
  const visible = () => page.locator("#matrix-table tbody tr:visible").count();
  assert.equal(await visible(), clauses.length);
  await page.selectOption("#matrix-status", "gap");
  assert.equal(await visible(), gaps);
  assert.match(await page.locator(".filter-count").textContent(), new RegExp(`^${gaps} of ${clauses.length} shown$`));
  await page.selectOption("#matrix-status", "");
  await page.fill("#matrix-text", "PRC-CHG-001");
  const rows = await page.locator("#matrix-table tbody tr:visible td:first-child").allTextContents();
  assert.deepEqual(rows, ["8.5.1.2", "8.5.1.3"]);
  await page.fill("#matrix-text", "");
  const status = page.locator("#matrix-table thead th", { hasText: "Status" });
  await status.click();
  assert.equal(await status.getAttribute("aria-sort"), "ascending");
  assert.equal(await page.locator("#matrix-table tbody tr").first().getAttribute("data-status"), "excluded");
  await page.screenshot({ path: join(shots, "matrix-sorted.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a phone the sidebar is collapsed and the menu opens it; dark mode follows the system", async () => {
  const { page, errors } = await open("index.html", { width: 375, height: 800, colorScheme: "dark" });
  assert.equal(await page.locator("#sidebar").isVisible(), false);
  await page.locator(".menu-toggle").click();
  assert.equal(await page.locator("#sidebar").isVisible(), true);
  assert.equal(await page.locator(".menu-toggle").getAttribute("aria-expanded"), "true");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(20, 23, 28)");
  await page.screenshot({ path: join(shots, "phone-dark.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the print page holds every document and the matrix", async () => {
  const { page, errors } = await open("print.html");
  await page.waitForSelector("body.print-ready");
  const documents = await page.locator("article.print-doc").count();
  const report = JSON.parse(readFileSync(join(site, "matrix.json"), "utf8"));
  assert.equal(documents, report.documents.length);
  // The contents link every document (built by print.js), then the matrix.
  const contents = await page.locator("#print-contents a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  const anchors = await page.locator("article.print-doc").evaluateAll((articles) => articles.map((a) => "#" + a.id));
  assert.deepEqual(contents, [...anchors, "#matrix"]);
  const primary = report.clauses.filter((c) => c.standard === report.summary.standard);
  assert.equal(await page.locator("#matrix tbody tr").count(), primary.length);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".print-doc").first().evaluate((e) => getComputedStyle(e).breakBefore), "page");
  assert.deepEqual(errors, []);
  await page.close();
});

/** Types a query into the header search box and returns the titles of the hits shown. */
async function searchFor(page, query) {
  await page.fill("#search-input", query);
  await page.waitForSelector("#search-results:not([hidden])");
  return page.locator("#search-results .hit-title").allTextContents();
}

test("search loads its index only on first use and finds words, ids and clause numbers", async () => {
  const { page, errors } = await open("index.html");
  assert.equal(await page.locator('script[src$="search-index.js"]').count(), 0, "not loaded before use");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  // A word that only the body of the backup procedure contains.
  assert.equal((await searchFor(page, "restic"))[0], "Backup Verification Procedure");
  assert.equal(await page.locator('script[src$="search-index.js"]').count(), 1);
  // The snippet's text comes from the print pack's group that holds the document.
  assert.match(await page.locator("#search-results .hit-snippet mark").first().textContent(), /restic/i);
  assert.equal(await page.locator('script[src$="print/0.js"]').count(), 1);
  // A document id, in any case.
  assert.equal((await searchFor(page, "prc-chg-001"))[0], "Change Management Process");
  // A clause number finds the clause and its sub-clauses.
  const clauses = await searchFor(page, "8.5.1");
  for (const title of ["8.5.1 Change management", "8.5.1.2 Change management initiation"]) {
    assert.ok(clauses.includes(title), `${title} in ${clauses}`);
  }
  // Word forms: "approvals" finds documents that say "approved".
  const forms = await searchFor(page, "approvals capacity");
  assert.ok(forms.includes("Capacity Plan"), `${forms}`);
  await page.screenshot({ path: join(shots, "search.png") });
  // Enter opens the best hit with the words marked.
  await searchFor(page, "restic");
  await page.keyboard.press("Enter");
  await page.waitForURL(/backup-verification\.html\?highlight=restic/);
  assert.ok((await page.locator("#content mark").count()) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the search page lists every result for ?q=", async () => {
  const { page, errors } = await open("search.html");
  await page.goto(pathToFileURL(join(site, "search.html")).href + "?q=incident");
  await page.waitForSelector("#search-page-results li");
  assert.match(await page.locator("#search-page-status").textContent(), /^\d+ pages match “incident”\.$/);
  assert.ok((await page.locator("#search-page-results li").count()) > 5);
  // Snippets of the first results, from the print pack, with the word marked.
  await page.waitForSelector("#search-page-results li:first-child .hit-snippet mark");
  assert.match(await page.locator("#search-page-results li:first-child .hit-snippet").textContent(), /incident/i);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a reading list shows progress after a document is marked read, and again when it changes", async () => {
  const { page, errors } = await open("reading/service-desk.html");
  const items = await page.locator("#reading-list li").count();
  assert.ok(items >= 5, `${items} documents for the service desk`);
  const types = await page.locator("#reading-list li .hit-type").allTextContents();
  const rank = ["policy", "plan", "process", "procedure", "agreement", "register", "guide", "record"];
  const ranks = types.map((t) => rank.indexOf(t));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `ordered by type: ${types}`);
  assert.ok(new Set(types).size >= 2, `${types}`);
  assert.equal(await page.locator(".progress-text").textContent(), `0 of ${items} read`);
  const first = page.locator("#reading-list li").first();
  const id = await first.locator(".hit-id").textContent();
  const item = page.locator("#reading-list li", { has: page.locator(".hit-id", { hasText: id }) });
  await first.locator("a").click();
  await page.locator(".mark-read").click();
  assert.equal(await page.locator(".mark-read").getAttribute("aria-pressed"), "true");
  await page.goBack();
  await page.reload();
  assert.equal(await page.locator(".progress-text").textContent(), `1 of ${items} read`);
  assert.equal(await item.getAttribute("data-read"), "read");
  await page.screenshot({ path: join(shots, "reading-list.png") });
  // A new version of the document makes it unread again.
  await page.evaluate((key) => {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.endsWith(":read:" + key)) localStorage.setItem(k, "0.0-old");
    }
  }, id);
  await page.reload();
  assert.equal(await item.getAttribute("data-read"), "updated");
  assert.equal(await page.locator(".progress-text").textContent(), `0 of ${items} read`);
  await page.locator(".reset-reading").click();
  assert.equal(await item.getAttribute("data-read"), "unread");
  assert.deepEqual(errors, []);
  await page.close();
});

test("mermaid blocks become diagrams, with the library loaded only where needed", async () => {
  const { page, errors } = await open("processes/incident-management.html");
  await page.waitForSelector("figure.diagram svg");
  assert.equal(await page.locator("pre.mermaid").count(), 0);
  assert.ok(existsSync(join(site, "theme/vendor/mermaid-LICENSE.txt")), "the licence ships with the library");
  await page.locator("figure.diagram").first().screenshot({ path: join(shots, "diagram.png") });
  assert.deepEqual(errors, []);
  await page.close();
  const plain = await open("policies/supplier-policy.html");
  assert.equal(await plain.page.locator('script[src$="mermaid.min.js"]').count(), 0);
  await plain.page.close();
});

test("a diagram with a syntax error shows the error and its source", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "smsbook-diagrams-")), "site");
  execFileSync(binary, ["build", "tests/fixtures/diagrams", "--dest", dir, "--today", "2026-12-01"], { cwd: repo, stdio: "pipe" });
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(dir, "diagrams.html")).href);
  await page.waitForSelector(".diagram-error");
  assert.equal(await page.locator("figure.diagram svg").count(), 1, "the good diagram is drawn");
  assert.match(await page.locator(".diagram-error").textContent(), /could not be drawn[\s\S]*A\[Start -->/);
  await page.close();
});

test("the theme toggle switches to dark and the choice persists", async () => {
  const { page, errors } = await open("processes/change-management.html", { colorScheme: "light" });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await background(), "rgb(255, 255, 255)");
  await page.locator(".theme-toggle").click(); // auto → light
  await page.locator(".theme-toggle").click(); // light → dark
  assert.equal(await page.locator(".theme-toggle").textContent(), "Theme: dark");
  assert.equal(await background(), "rgb(20, 23, 28)");
  await page.reload();
  assert.equal(await background(), "rgb(20, 23, 28)", "kept after a reload");
  await page.waitForSelector("figure.diagram svg");
  await page.screenshot({ path: join(shots, "document-dark.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the first use of a glossary term gets a tooltip that shows on focus and links to the definition", async () => {
  const { page, errors } = await open("processes/change-management.html");
  const term = page.locator(".body .term").first();
  const tip = term.locator(".term-tip");
  assert.equal(await tip.isVisible(), false);
  await term.locator("a").focus();
  assert.equal(await tip.isVisible(), true);
  const id = await tip.getAttribute("id");
  assert.equal(await term.locator("a").getAttribute("aria-describedby"), id);
  assert.match(await term.locator("a").getAttribute("href"), /glossary\.html#/);
  await page.screenshot({ path: join(shots, "glossary-tooltip.png") });
  // Each term is marked once per page.
  const tips = await page.locator(".term-tip strong").allTextContents();
  assert.equal(new Set(tips).size, tips.length, `${tips}`);
  assert.deepEqual(errors, []);
  await page.close();
});

const axeSource = join(repo, "tests/browser/node_modules/axe-core/axe.min.js");

/** The serious and critical axe violations of an open page, one line each. */
async function seriousViolations(page) {
  await page.addScriptTag({ path: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
  });
}

/** What the Nu HTML checker says of these files (empty when they are valid). */
function nuMessages(files) {
  const jar = join(repo, "tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
  try {
    return execFileSync("java", ["-jar", jar, "--format", "gnu", "--filterpattern", ".*Trailing slash on void elements.*",
      ...files], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (error) {
    return `${error.stdout || ""}${error.stderr || ""}`.trim();
  }
}

for (const [path, query] of [
  ["index.html", ""],
  ["processes/change-management.html", ""],
  ["clauses/8.5.1.html", ""],
  ["matrix.html", ""],
  ["search.html", "?q=change"],
  ["reading/service-desk.html", ""],
  ["register.html", ""],
  ["whats-new.html", ""],
]) {
  for (const colorScheme of ["light", "dark"]) {
    test(`axe finds no serious or critical violation on ${path} (${colorScheme})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
      await page.goto(pathToFileURL(join(site, path)).href + query);
      if (query) await page.waitForSelector("#search-page-results li");
      assert.deepEqual(await seriousViolations(page), []);
      await page.close();
    });
  }
}

test("the Nu HTML checker reports no error or warning on the main pages", () => {
  const pages = ["index.html", "processes/change-management.html", "processes/incident-management.html", "clauses/8.5.1.html",
    "clauses/index.html", "matrix.html", "register.html", "search.html", "reading/index.html", "reading/service-desk.html",
    "whats-new.html", "print.html", "contents.html", "404.html", "guides/glossary.html", "registers/service-catalogue.html"];
  assert.equal(nuMessages(pages.map((p) => join(site, p))), "");
});

test("screenshots of the dashboard and a document in light and dark, desktop and phone", async () => {
  for (const colorScheme of ["light", "dark"]) {
    for (const [width, height, name] of [[1280, 900, "desktop"], [375, 812, "phone"]]) {
      for (const [path, page_name] of [["index.html", "home"], ["processes/incident-management.html", "incident"]]) {
        const { page, errors } = await open(path, { width, height, colorScheme });
        if (path.includes("incident")) await page.waitForSelector("figure.diagram svg");
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${path} at ${width}px scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: join(shots, `${page_name}-${name}-${colorScheme}.png`) });
        assert.deepEqual(errors, []);
        await page.close();
      }
    }
  }
});

test("with three standards: the overview, a second standard's dashboard, and the SoA", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "smsbook-standards-")), "site");
  execFileSync(binary, ["build", "tests/fixtures/three-standards", "--dest", dir, "--today", "2026-12-01"], { cwd: repo, stdio: "pipe" });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(dir, "index.html")).href);
  await page.locator(".top-links a", { hasText: "Standards" }).click();
  await page.locator("tbody a", { hasText: /^dashboard$/ }).nth(1).click();
  await page.waitForURL(/standards\/iso27001\/index\.html$/);
  assert.match(await page.locator(".lead").textContent(), /Coverage of ISO\/IEC 27001:2022/);
  await page.screenshot({ path: join(shots, "iso27001-dashboard.png") });
  await page.locator(".top-links a", { hasText: "SoA" }).click();
  await page.waitForURL(/soa\.html$/);
  assert.equal(await page.locator("#soa-table tbody tr").count(), 93);
  await page.fill("#soa-text", "A.5.15");
  assert.equal(await page.locator("#soa-table tbody tr:visible").count(), 1);
  assert.match(await page.locator("#soa-table tbody tr:visible").textContent(), /Access control.*partly implemented.*POL-ACC-001/s);
  await page.screenshot({ path: join(shots, "soa.png") });
  // Search finds clauses of every standard by number, with or without the prefix.
  assert.equal((await searchFor(page, "A.5.15"))[0], "A.5.15 Access control");
  await searchFor(page, "iso9001:7.5.3");
  assert.match(await page.locator("#search-results .search-hit").first().textContent(), /7\.5\.3 Control of documented information.*ISO 9001:2015/s);
  assert.deepEqual(errors, []);
  await page.close();
});

// Document control from git. The sample lives in this repository's history, which CI may have
// cloned shallow: its test asks only for the section and a row. Everything else uses a small
// repository the test builds with fixed authors and dates.

test("a sample document page has its History section (also in a shallow clone)", async () => {
  const { page, errors } = await open("processes/change-management.html");
  const section = page.locator("section.history");
  assert.equal(await section.locator("h2").textContent(), "History");
  const rows = await section.locator("tbody tr").count();
  assert.ok(rows >= 1, `${rows} commits shown`);
  assert.match(await section.locator("p").first().textContent(), /^Last changed \d{4}-\d{2}-\d{2}; \d+ commits?/);
  // The metadata panel links to it.
  await page.locator('.meta a[href="#history-title"]').click();
  assert.deepEqual(errors, []);
  await page.close();
});

/** Runs git in `dir` with a fixed author and date and no user or system configuration. */
function git(dir, date, ...args) {
  const stamp = `${date}T12:00:00+00:00`;
  return execFileSync("git", ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", ...args], {
    cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Ann Auditor", GIT_AUTHOR_EMAIL: "ann@example.com",
      GIT_COMMITTER_NAME: "Ann Auditor", GIT_COMMITTER_EMAIL: "ann@example.com",
      GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp },
  });
}

function controlled({ id, title, type = "policy", status = "approved", version = "1.0", approvedOn = "2026-01-10", satisfies, body }) {
  return `---\nid: ${id}\ntitle: ${title}\ntype: ${type}\nowner: Service Owner\nstatus: ${status}\nversion: "${version}"\n` +
    `approved_by: Head of Service\napproved_on: ${approvedOn}\nreview_by: 2027-06-01\nsatisfies: [${satisfies}]\n---\n\n` +
    `## Purpose\n\n${body}\n`;
}

/** The repository of the document-control tests, built with `--compare-with audit-2025`:
 * a policy renamed after its approval, a process changed after its approval, a log with more
 * commits than a document page shows, a plan added after the audit and then edited without
 * a commit. Returns the site folder. */
function buildControlSite() {
  const dir = mkdtempSync(join(tmpdir(), "smsbook-control-"));
  const write = (path, text) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (date, message) => {
    git(dir, date, "add", "-A");
    git(dir, date, "commit", "-q", "-m", message);
  };
  git(dir, "2026-01-01", "init", "-q", "-b", "main");
  write("book.toml", '[book]\ntitle = "Control SMS"\norganization = "Example Ltd"\n');
  write("src/policies/policy.md", controlled({ id: "POL-001", title: "Service Management Policy", satisfies: "5.2", body: "The policy." }));
  write("src/processes/change.md", controlled({ id: "PRC-001", title: "Change Management Process", type: "process", satisfies: "8.5.1", body: "Changes are approved." }));
  write("src/records/log.md", controlled({ id: "REC-001", title: "Change Log", type: "record", status: "draft", version: "0.1", satisfies: "8.5.1.3", body: "Entry 0." }));
  commit("2026-01-10", "Add the policy, the change process and the change log");
  git(dir, "2026-01-10", "tag", "audit-2025");
  git(dir, "2026-02-01", "mv", "src/policies/policy.md", "src/policies/service-policy.md");
  commit("2026-02-01", "Move the policy");
  write("src/processes/change.md", controlled({ id: "PRC-001", title: "Change Management Process", type: "process", satisfies: "8.5.1", body: "Changes are approved by the CAB." }));
  commit("2026-03-01", "Change process: the CAB approves");
  for (let i = 1; i <= 22; i++) {
    const day = String(i).padStart(2, "0");
    write("src/records/log.md", controlled({ id: "REC-001", title: "Change Log", type: "record", status: "draft", version: `0.${i + 1}`, satisfies: "8.5.1.3", body: `Entry ${i}.` }));
    commit(`2026-04-${day}`, `Change log: entry ${i}`);
  }
  write("src/plans/plan.md", controlled({ id: "PLN-001", title: "Service Management Plan", type: "plan", approvedOn: "2026-05-01", satisfies: "4.4, 6.2", body: "The plan." }));
  commit("2026-05-01", "Add the SMS plan");
  write("src/plans/plan.md", controlled({ id: "PLN-001", title: "Service Management Plan", type: "plan", approvedOn: "2026-05-01", satisfies: "4.4, 6.2", body: "The plan, being edited." }));
  const site = join(dir, "out", "site");
  execFileSync(binary, ["build", dir, "--dest", site, "--today", "2026-12-01", "--compare-with", "audit-2025"],
    { stdio: "pipe", env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } });
  return site;
}

let controlSite;
const control = () => (controlSite ??= buildControlSite());

/** Opens a page of the document-control site, recording errors like `open`. */
async function openControl(path, { width = 1280, height = 900, colorScheme = "light" } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme });
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("requestfailed", (request) => errors.push(`failed to load ${request.url()}`));
  await page.goto(pathToFileURL(join(control(), path)).href);
  return { page, errors };
}

test("a document page shows its history with renames followed and its findings from history", async () => {
  const policy = await openControl("policies/service-policy.html");
  const rows = policy.page.locator("section.history tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /2026-02-01.*Ann Auditor.*Move the policy.*renamed from policies\/policy\.md/s);
  assert.match(await rows.nth(1).textContent(), /2026-01-10.*Add the policy/s);
  await policy.page.locator("section.history").screenshot({ path: join(shots, "history-section.png") });
  assert.deepEqual(policy.errors, []);
  await policy.page.close();

  const { page, errors } = await openControl("processes/change.html");
  assert.match(await page.locator(".banner.notice").first().textContent(), /changed after approval/i);
  assert.match(await page.locator(".meta").textContent(), /Last changed\s*2026-03-01/);
  await page.screenshot({ path: join(shots, "document-history.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();

  // On a phone the history table scrolls inside its box, never the page.
  const phone = await openControl("processes/change.html", { width: 375, height: 812 });
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await phone.page.locator("section.history").screenshot({ path: join(shots, "history-section-phone.png") });
  assert.deepEqual(phone.errors, []);
  await phone.page.close();
});

test("a long history gets its own page, linked from the document", async () => {
  const { page, errors } = await openControl("records/log.html");
  assert.equal(await page.locator("section.history tbody tr").count(), 20, "the newest 20");
  await page.locator("section.history a", { hasText: "The whole history (23 commits)" }).click();
  await page.waitForURL(/history\/records\/log\.html$/);
  assert.equal(await page.locator("tbody tr").count(), 23);
  assert.match(await page.locator("h1").textContent(), /History of REC-001 Change Log/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the dashboard and the register show document control; the changes page the delta since a tag", async () => {
  const { page, errors } = await openControl("index.html");
  const section = page.locator('section[aria-labelledby="control"]');
  assert.match(await section.textContent(), /PRC-001 Change Management Process.*changed after approval/s);
  assert.match(await section.textContent(), /1 document differs from the last commit/);
  await section.screenshot({ path: join(shots, "dashboard-control.png") });
  await page.locator("a", { hasText: /Changes since audit-2025/ }).first().click();
  await page.waitForURL(/changes\.html$/);
  assert.match(await page.locator("h1").textContent(), /Changes since audit-2025/);
  const documents = await page.locator('section[aria-labelledby="documents-changed"] tbody tr').allTextContents();
  assert.ok(documents.some((d) => /added/.test(d) && /PLN-001/.test(d)), `${documents}`);
  assert.ok(documents.some((d) => /PRC-001/.test(d)), `${documents}`);
  await page.screenshot({ path: join(shots, "changes.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();

  const register = await openControl("register.html");
  const plan = register.page.locator("tbody tr", { hasText: "PLN-001" });
  assert.match(await plan.textContent(), /2026-05-01.*uncommitted changes/s);
  await register.page.locator(".table-wrap").evaluate((e) => { e.scrollLeft = e.scrollWidth; });
  await register.page.screenshot({ path: join(shots, "register-history.png") });
  assert.deepEqual(register.errors, []);
  await register.page.close();
});

for (const path of ["policies/service-policy.html", "processes/change.html", "history/records/log.html", "changes.html",
  "index.html", "register.html"]) {
  for (const [colorScheme, width] of [["light", 1280], ["dark", 1280], ["light", 375]]) {
    test(`axe finds no serious or critical violation on the document-control ${path} (${colorScheme}, ${width}px)`, async () => {
      const { page } = await openControl(path, { colorScheme, width });
      assert.deepEqual(await seriousViolations(page), []);
      await page.close();
    });
  }
}

test("the Nu HTML checker reports no error or warning on the document-control pages", () => {
  const pages = ["policies/service-policy.html", "processes/change.html", "records/log.html", "history/records/log.html",
    "changes.html", "index.html", "register.html", "clauses/8.5.1.html"];
  assert.equal(nuMessages(pages.map((p) => join(control(), p))), "");
});
