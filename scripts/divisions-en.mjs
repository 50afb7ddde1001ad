// Adds the English name to each division of the table scripts/divisions.sh makes: reads "code<TAB>Chinese name"
// lines on standard input, writes "code<TAB>Chinese name<TAB>English name". Run once at development time by
// scripts/divisions.sh, never at build or run time: the generated table is committed and the chaincode embeds it.
//
//   node scripts/divisions-en.mjs PINYIN_PRO_DIR < code-name.tsv > code-name-english.tsv
//
// An English name is the place's name in Hanyu Pinyin, one word per place name, without tones, with an apostrophe
// where a syllable starting with a, o or e follows another (Lu'an, Ma'anshan), then the kind of division in English:
// 区 District, 县 County, 新区 New Area, the development zones and parks by their usual English names; a
// prefecture-level or county-level city (市) and a province (省) are named by the place alone (Suzhou, Kunshan,
// Jiangsu). The readings come from pinyin-pro (npm), except the few place names it reads with a syllable's common
// reading instead of the place's own (readings below).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const { pinyin, customPinyin } = require(path.resolve(process.argv[2]));

// Place names whose characters read differently in the place's name than in common words.
customPinyin({
  闵行: "min hang", 六合: "lu he", 盐都: "yan du", 江都: "jiang du", 莲都: "lian du", 乐清: "yue qing",
  蚌山: "beng shan", 歙: "she", 涡阳: "guo yang",
});

// The kinds of division, longest first: the Chinese ending and its English words.
const kinds = [
  ["高新技术产业开发区", "High-tech Industrial Development Zone"],
  ["经济技术开发区", "Economic and Technological Development Zone"],
  ["高新技术开发区", "High-tech Development Zone"],
  ["现代产业园区", "Modern Industrial Park"],
  ["经济开发区", "Economic Development Zone"],
  ["工业园区", "Industrial Park"],
  ["畲族自治县", "She Autonomous County"],
  ["新区", "New Area"],
  ["区", "District"],
  ["县", "County"],
  ["市", ""],
  ["省", ""],
];

// Words that are not place names, and a division whose name is its kind alone (Tongling's 郊区).
const words = { 中新: "China-Singapore", 郊区: "Suburban District" };

// A place's name in pinyin: syllables joined, capitalised, an apostrophe before a vowel-initial syllable.
function place(chinese) {
  const syllables = pinyin(chinese, { toneType: "none", type: "array" });
  const joined = syllables.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? "'" : "") + s).join("");
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

const lines = readFileSync(0, "utf8").split("\n").filter((l) => l !== "");
// Every province's and city's own name, to cut a zone's name into the places it names (安徽 芜湖 三山).
const places = new Set();
for (const line of lines) {
  const [code, name] = line.split("\t");
  if (code.endsWith("00")) places.add(name.replace(/[省市]$/, ""));
}

// The words of a name without its kind: the known places and words it begins with, longest first, then the rest
// as one place. A city's 市 inside a zone's name (蚌埠市经济开发区) is dropped.
function wordsOf(stem) {
  const out = [];
  while (stem !== "") {
    if (stem.startsWith("市")) {
      stem = stem.slice(1);
      continue;
    }
    const known = [...places, ...Object.keys(words)].filter((p) => stem.startsWith(p) && p !== stem).sort((a, b) => b.length - a.length)[0];
    const word = known ?? stem;
    out.push(words[word] ?? place(word));
    stem = stem.slice(word.length);
  }
  return out;
}

function english(name) {
  if (words[name]) return words[name];
  const [ending, kind] = kinds.find(([k]) => name.endsWith(k) && name.length > k.length) ?? ["", ""];
  const stem = name.slice(0, name.length - ending.length);
  return [...wordsOf(stem), kind].filter((w) => w !== "").join(" ");
}

for (const line of lines) {
  const [code, name] = line.split("\t");
  process.stdout.write(`${code}\t${name}\t${english(name)}\n`);
}
