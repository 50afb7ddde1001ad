// The market monitor's page: reads this gateway's API with the member's API
// key (kept in this tab only) and draws what it answers with ECharts. Kept
// out of the HTML so that the Content-Security-Policy allows no inline
// script. Errors are shown on the page, never thrown, so that the console
// stays clean.
"use strict";

const texts = {
  zh: {
    title: "长三角数据要素市场监测", apiKey: "API 密钥", connect: "连接", notConnected: "请输入本网关成员的 API 密钥。",
    volumes: "各区域成交量", flows: "跨区域交易流向（卖方 → 买方）", priceIndex: "价格指数（按日）", divisions: "各行政区活跃度",
    published: "已发布指数及链上证明", period: "期间", blocks: "区块", attestedBy: "证明机构", digest: "摘要", verified: "本地核验",
    download: "下载", search: "目录检索", find: "检索", asset: "资产", name: "名称", category: "类别", region: "区域",
    price: "最低价（分）", feed: "实时市场事件", trades: "成交笔数", value: "公开成交额（元）", index: "指数",
    seller: "卖方区域", buyer: "买方区域", indexedBlock: "索引区块", noPublication: "尚无发布", verifiedOK: "哈希一致",
    verifiedBad: "哈希不符", block: "区块", failed: "请求失败", today: "今日", thisMonth: "本月",
    computedHere: "未发布，本网关计算", publishedMark: "已发布",
    attestedOf: (n, of) => `${of} 个区域中的 ${n} 个：`, notAttested: "；未证明：",
    regions: { shanghai: "上海", jiangsu: "江苏", zhejiang: "浙江", anhui: "安徽" },
  },
  en: {
    title: "Yangtze River Delta data market monitor", apiKey: "API key", connect: "Connect", notConnected: "Enter the API key of a member of this gateway.",
    volumes: "Completed trades per region", flows: "Cross-region trade flows (seller → buyer)", priceIndex: "Price index (daily)",
    divisions: "Activity per division", published: "Published indices and their on-chain proof", period: "Period", blocks: "Blocks",
    attestedBy: "Attested by", digest: "Digest", verified: "Checked here", download: "Download", search: "Catalogue search",
    find: "Search", asset: "Asset", name: "Name", category: "Category", region: "Region", price: "Lowest price (fen)",
    feed: "Live market events", trades: "Trades", value: "Disclosed value (CNY)", index: "Index", seller: "Seller region",
    buyer: "Buyer region", indexedBlock: "indexed block", noPublication: "nothing published yet", verifiedOK: "hashes match",
    verifiedBad: "hashes differ", block: "block", failed: "request failed", today: "Today", thisMonth: "This month",
    computedHere: "not published, computed by this gateway", publishedMark: "published",
    attestedOf: (n, of) => `${n} of ${of} regions: `, notAttested: "; not attested: ",
    regions: { shanghai: "Shanghai", jiangsu: "Jiangsu", zhejiang: "Zhejiang", anhui: "Anhui" },
  },
};
const regionOrder = ["shanghai", "jiangsu", "zhejiang", "anhui"];

const state = {
  lang: localStorage.getItem("deltaledger.lang") || "zh",
  key: sessionStorage.getItem("deltaledger.key") || "",
  data: {},
  // The delta's divisions by code (model/divisions.tsv, served as
  // divisions.json): their Chinese and English names, levels and regions.
  divisions: {},
  // The period the treemap shows: a published period, or "now:day" or
  // "now:month" for the current day's or month's figures as this gateway
  // computes them (not published yet).
  divisionPeriod: "",
  charts: {},
  feed: null,
  events: [],
  refreshTimer: 0,
};

const $ = (selector) => document.querySelector(selector);
const t = (name) => texts[state.lang][name];
const regionName = (r) => texts[state.lang].regions[r] || r;

// escapeHTML makes text safe to insert as HTML. ECharts inserts what a
// tooltip's formatter answers as HTML, and the names in it come from the
// ledger (a division's code the table does not name, a region): every
// formatter answers through it, so that they show as text, never as markup.
const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// divisionName names a division in the page's language (the table's
// Chinese or English name), followed by its code.
function divisionName(code) {
  const d = state.divisions[code];
  if (!d) return code;
  return `${state.lang === "en" ? d.nameEn : d.name} ${code}`;
}

// currentPeriod is the current day's or month's period in China Standard
// Time ("day:2026-12-02", "month:2026-12").
function currentPeriod(kind) {
  const cst = new Date(Date.now() + 8 * 3600 * 1000).toISOString();
  return kind === "day" ? `day:${cst.slice(0, 10)}` : `month:${cst.slice(0, 7)}`;
}

async function loadDivisions() {
  try {
    const r = await fetch("divisions.json");
    if (!r.ok) throw new Error(`${t("failed")}: divisions.json ${r.status}`);
    state.divisions = Object.fromEntries((await r.json()).map((d) => [d.code, d]));
  } catch (e) {
    setStatus(e.message, true);
  }
}

function setStatus(text, bad) {
  const status = $("#status");
  status.textContent = text;
  status.className = bad ? "bad" : "";
}

async function api(path, accept) {
  const r = await fetch(path, { headers: { Authorization: "Bearer " + state.key, Accept: accept || "application/json" } });
  if (!r.ok) {
    let message = "";
    try { message = (await r.json()).message || ""; } catch { /* not JSON */ }
    throw new Error(`${t("failed")}: ${path} ${r.status} ${message}`);
  }
  return accept ? r.text() : r.json();
}

function chart(id) {
  if (!state.charts[id]) {
    state.charts[id] = echarts.init($(`#${id} .chart`));
  }
  return state.charts[id];
}

function drawVolumes() {
  const body = state.data.volumes;
  if (!body) return;
  const byRegion = Object.fromEntries(body.groups.map((g) => [g.region, g]));
  chart("volumes").setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [t("trades"), t("value")] },
    xAxis: { type: "category", data: regionOrder.map(regionName) },
    yAxis: [{ type: "value", name: t("trades"), minInterval: 1 }, { type: "value", name: t("value") }],
    series: [
      { name: t("trades"), type: "bar", data: regionOrder.map((r) => byRegion[r]?.volume ?? 0) },
      { name: t("value"), type: "bar", yAxisIndex: 1, data: regionOrder.map((r) => (byRegion[r]?.sumPriceFen ?? 0) / 100) },
    ],
  }, true);
}

function drawFlows() {
  const body = state.data.flows;
  if (!body) return;
  const cells = body.flows.map((f) => [regionOrder.indexOf(f.sellerRegion), regionOrder.indexOf(f.buyerRegion), f.volume]);
  chart("flows").setOption({
    tooltip: { formatter: (p) => escapeHTML(`${regionName(regionOrder[p.value[0]])} → ${regionName(regionOrder[p.value[1]])}: ${p.value[2]}`) },
    xAxis: { type: "category", name: t("seller"), data: regionOrder.map(regionName) },
    yAxis: { type: "category", name: t("buyer"), data: regionOrder.map(regionName) },
    visualMap: { min: 0, max: Math.max(1, ...cells.map((c) => c[2])), calculable: true, orient: "horizontal", left: "center", bottom: 0 },
    grid: { bottom: 80 },
    series: [{ name: t("trades"), type: "heatmap", data: cells, label: { show: true } }],
  }, true);
}

function drawPriceIndex() {
  const body = state.data.priceIndex;
  if (!body) return;
  const points = body.points.filter((p) => p.index !== undefined);
  chart("price-index").setOption({
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: points.map((p) => p.start.slice(0, 10)) },
    yAxis: { type: "value", name: t("index"), scale: true },
    series: [{ name: t("index"), type: "line", showSymbol: true, data: points.map((p) => p.index) }],
  }, true);
}

// drawPeriodPicker lists the periods the treemap can show: the current day
// and month as this gateway computes them, then the published periods the
// page read, newest first as the API lists them; it keeps the choice, or
// picks the latest publication.
function drawPeriodPicker() {
  if (!state.data.published) return; // not connected yet
  const select = $("#division-period");
  const published = state.data.published || [];
  const options = [
    ["now:day", `${t("today")} ${currentPeriod("day")} (${t("computedHere")})`],
    ["now:month", `${t("thisMonth")} ${currentPeriod("month")} (${t("computedHere")})`],
    ...published.map((p) => [p.period, `${p.period} (${t("publishedMark")})`]),
  ];
  if (!options.some(([value]) => value === state.divisionPeriod)) {
    state.divisionPeriod = published.length ? published[0].period : "now:day";
  }
  select.replaceChildren(...options.map(([value, label]) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    option.selected = value === state.divisionPeriod;
    return option;
  }));
}

// loadDivisionFigures fetches the figures of the picked period: a
// publication's from the ledger's record, the current day's or month's
// computed by this gateway at the block its index has read.
async function loadDivisionFigures() {
  const picked = state.divisionPeriod;
  try {
    let figures;
    if (picked.startsWith("now:")) {
      const period = currentPeriod(picked.slice(4));
      const stats = state.data.volumes;
      figures = (await api(`/v1/indices/${encodeURIComponent(period)}/computed?toBlock=${stats ? stats.indexedBlock : 0}`)).figures;
    } else {
      const pub = (state.data.published || []).find((p) => p.period === picked);
      figures = pub ? JSON.parse(pub.figures) : null;
    }
    if (picked === state.divisionPeriod) {
      state.data.divisionFigures = figures;
      drawDivisions();
    }
  } catch (e) {
    setStatus(e.message, true);
  }
}

// The divisions of the picked period as a treemap: provinces, their cities
// and districts (GB/T 2260 codes nest by prefix), sized by activity, named
// in the page's language.
function drawDivisions() {
  const figures = state.data.divisionFigures;
  const el = $("#divisions .chart");
  if (!figures) return;
  el.dataset.period = figures.period;
  el.dataset.toBlock = figures.toBlock;
  const rows = figures.divisions.filter((d) => d.category === "*" && d.level !== "delta");
  const node = (d) => ({
    name: divisionName(d.division),
    code: d.division, value: d.registrations + d.listings + d.trades, children: [],
  });
  const byLevel = (level) => rows.filter((d) => d.level === level).map(node);
  const provincesNodes = byLevel("province");
  const cities = byLevel("city");
  const districts = byLevel("district");
  const attach = (children, parents, prefix) => {
    for (const c of children) {
      const parent = parents.find((p) => p.code.slice(0, prefix) === c.code.slice(0, prefix));
      if (parent) parent.children.push(c);
    }
  };
  attach(districts, cities, 4);
  attach(cities, provincesNodes, 2);
  chart("divisions").setOption({
    tooltip: { formatter: (p) => escapeHTML(`${p.name}: ${p.value}`) },
    series: [{ type: "treemap", name: t("divisions"), data: provincesNodes, leafDepth: 2, roam: false }],
  }, true);
}

async function sha256Hex(text) {
  if (!crypto.subtle) return "";
  const sum = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(sum), (b) => b.toString(16).padStart(2, "0")).join("");
}

// attesters says who vouched for a publication (the column "Attested by"):
// the orgs that attested it, counted against its electorate (the orgs the
// market rules named when it was published, over which its majority is
// counted), then those of the electorate that did not attest. A
// publication made before records kept an electorate (interface 9.0.0)
// shows its attesters alone. Text only: the cell is filled by textContent.
function attesters(p) {
  const attestedBy = p.attestedBy || [];
  const electorate = p.electorate || [];
  if (!electorate.length) return attestedBy.join(", ");
  const absent = electorate.filter((org) => !attestedBy.includes(org));
  return t("attestedOf")(attestedBy.length, electorate.length) + attestedBy.join(", ") +
    (absent.length ? t("notAttested") + absent.join(", ") : "");
}

// Each publication is checked here, independently of the gateway: the hash
// of its figures and the digest the regions attested are recomputed.
async function drawPublished() {
  const tbody = $("#published tbody");
  const items = state.data.published || [];
  const rows = await Promise.all(items.map(async (p) => {
    const figuresHash = await sha256Hex(p.figures || "");
    const digest = await sha256Hex(`deltaledger-indices/1|${p.period}|${p.fromBlock}|${p.toBlock}|${p.inputHash}|${p.figuresHash}`);
    return { p, ok: figuresHash === p.figuresHash && digest === p.digest };
  }));
  if (!rows.length) {
    const td = document.createElement("td");
    td.colSpan = 6;
    td.textContent = t("noPublication");
    const tr = document.createElement("tr");
    tr.className = "none";
    tr.append(td);
    tbody.replaceChildren(tr);
    return;
  }
  tbody.replaceChildren(...rows.map(({ p, ok }) => {
    const tr = document.createElement("tr");
    tr.dataset.period = p.period;
    const cells = [p.period, `${p.fromBlock}–${p.toBlock}`, attesters(p), p.digest.slice(0, 16) + "…"];
    for (const text of cells) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    tr.children[3].className = "mono";
    tr.children[3].title = p.digest;
    const check = document.createElement("td");
    check.className = ok ? "ok verified" : "bad verified";
    check.textContent = ok ? `✓ ${t("verifiedOK")}` : `✗ ${t("verifiedBad")}`;
    const download = document.createElement("td");
    for (const [label, path, type] of [["CSV", `/v1/indices/${encodeURIComponent(p.period)}/figures.csv`, "text/csv"],
      ["JSON", `/v1/indices/${encodeURIComponent(p.period)}`, "application/json"]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", () => save(path, type, `indices-${p.period.replace(":", "-")}.${label.toLowerCase()}`));
      download.append(button, " ");
    }
    tr.append(check, download);
    return tr;
  }));
}

// save downloads an answer of the API (which needs the key, so no plain link).
async function save(path, type, filename) {
  try {
    const text = await api(path, type);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function search() {
  const q = $("#q").value.trim();
  const tbody = $("#search tbody");
  try {
    const body = await api(`/v1/catalogue?limit=20${q ? "&q=" + encodeURIComponent(q) : ""}`);
    tbody.replaceChildren(...body.items.map((a) => {
      const tr = document.createElement("tr");
      tr.dataset.asset = a.id;
      for (const text of [a.id, a.name, a.category, regionName(a.exchangeRegion), a.minPriceFen ?? "—"]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
    tbody.dataset.indexedBlock = body.indexedBlock;
  } catch (e) {
    setStatus(e.message, true);
  }
}

// shownPublications is how many publications the page shows: the newest,
// as GET /v1/indices lists them (newest first, each checked by the chain).
const shownPublications = 24;

async function refresh() {
  try {
    const [volumes, flows, priceIndex, published] = await Promise.all([
      api("/v1/market/statistics?groupBy=region"),
      api("/v1/market/flows"),
      api("/v1/market/price-index?interval=day"),
      api(`/v1/indices?limit=${shownPublications}`),
    ]);
    const items = published.items || [];
    Object.assign(state.data, { volumes, flows, priceIndex, published: items });
    draw();
    loadDivisionFigures();
    document.body.dataset.indexedBlock = Math.min(volumes.indexedBlock, flows.indexedBlock);
    setStatus(connectedStatus());
  } catch (e) {
    setStatus(e.message, true);
  }
}

function draw() {
  try {
    drawVolumes();
    drawFlows();
    drawPriceIndex();
    drawPeriodPicker();
    drawDivisions();
    drawPublished().catch((e) => setStatus(e.message, true));
  } catch (e) {
    setStatus(e.message, true);
  }
}

// The live feed reads the gateway's Server-Sent Events with fetch (an
// EventSource cannot send the key), resuming after the last event id.
async function follow() {
  const controller = new AbortController();
  state.feed = controller;
  let last = "";
  while (!controller.signal.aborted) {
    try {
      const headers = { Authorization: "Bearer " + state.key, Accept: "text/event-stream" };
      if (last) headers["Last-Event-ID"] = last;
      const r = await fetch("/v1/events", { headers, signal: controller.signal });
      if (!r.ok) throw new Error(`${t("failed")}: /v1/events ${r.status}`);
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = {};
          for (const line of message.split("\n")) {
            const colon = line.indexOf(":");
            if (colon > 0) fields[line.slice(0, colon)] = (fields[line.slice(0, colon)] || "") + line.slice(colon + 1).trimStart();
          }
          if (fields.data) {
            last = fields.id || last;
            show(JSON.parse(fields.data));
          }
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      setStatus(e.message, true);
    }
    await new Promise((resume) => setTimeout(resume, 3000));
  }
}

function show(event) {
  state.events.unshift(event);
  state.events.length = Math.min(state.events.length, 100);
  renderFeed();
  // The figures change with the market: read them again a second after an
  // event, once for however many come in that second. Not reset by each
  // event: a market whose events never paused for a second (a busy one, or a
  // rival keeping one coming) would leave them as they were at connecting.
  if (!state.refreshTimer) {
    state.refreshTimer = setTimeout(() => {
      state.refreshTimer = 0;
      refresh();
    }, 1000);
  }
}

function renderFeed() {
  $("#feed ol").replaceChildren(...state.events.map((event) => {
    const li = document.createElement("li");
    li.dataset.transaction = event.transaction_id;
    li.dataset.event = event.name;
    const ids = Object.entries(event.payload || {}).filter(([k]) => /Id$|^period$/.test(k)).map(([k, v]) => `${k}=${v}`).join(" ");
    li.textContent = `${event.name} · ${t("block")} ${event.block_number} · ${ids}`;
    return li;
  }));
}

function connectedStatus() {
  const block = document.body.dataset.indexedBlock;
  return block === undefined ? "" : `${t("indexedBlock")}: ${block}`;
}

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = `DeltaLedger · ${t("title")}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("#lang").textContent = state.lang === "zh" ? "English" : "中文";
  setStatus(state.key ? connectedStatus() : t("notConnected"));
  draw();
  renderFeed();
  if (state.key) search();
}

function connect() {
  state.key = $("#key").value.trim();
  sessionStorage.setItem("deltaledger.key", state.key);
  state.feed?.abort();
  if (!state.key) return;
  refresh();
  search();
  follow();
}

window.addEventListener("load", async () => {
  $("#key").value = state.key;
  $("#lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("deltaledger.lang", state.lang);
    applyLanguage();
  });
  $("#connect").addEventListener("submit", (e) => { e.preventDefault(); connect(); });
  $("#search-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  $("#division-period").addEventListener("change", (e) => {
    state.divisionPeriod = e.target.value;
    loadDivisionFigures();
  });
  window.addEventListener("resize", () => Object.values(state.charts).forEach((c) => c.resize()));
  await loadDivisions();
  applyLanguage();
  if (state.key) connect();
});
