// Copies the files that package.json's "webAssets" names, for each installed
// package, from node_modules/<package>/ into dist/<package>/, and writes
// dist/manifest.json: each package's version and each file's SHA-256 (the Go
// package web serves only the files the manifest lists, with the hash as
// ETag). dist/ is emptied first, except README.md (the placeholder committed
// so that go:embed finds something in a fresh clone).
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const placeholder = "README.md";
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

for (const entry of readdirSync(dist)) {
  if (entry !== placeholder) rmSync(join(dist, entry), { recursive: true, force: true });
}

const manifest = { packages: {} };
for (const [name, files] of Object.entries(pkg.webAssets ?? {})) {
  const from = join(root, "node_modules", name);
  if (!(name in (pkg.dependencies ?? {}))) {
    throw new Error(`webAssets names ${name}, which is not in dependencies`);
  }
  const { version } = JSON.parse(readFileSync(join(from, "package.json"), "utf8"));
  const hashes = {};
  for (const file of files) {
    const to = join(dist, name, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(from, file), to);
    hashes[file] = createHash("sha256").update(readFileSync(to)).digest("hex");
  }
  manifest.packages[name] = { version, files: hashes };
  console.log(`web: ${name} ${version}: ${files.length} files`);
}
writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
