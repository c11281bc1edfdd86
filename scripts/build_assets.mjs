// Copies the few front-end files the templates use from node_modules/ into build/vendor/
// under stable names (vendor/krds/..., vendor/pretendard/..., vendor/htmx/...).
// Nothing is fetched at run time: the system must work on a closed government network.
//
//   npm ci && node scripts/build_assets.mjs
//
// The script fails loudly when a package changes its layout, instead of shipping a page
// that silently loads nothing.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const target = join(root, "build", "vendor", "vendor");

function fail(message) {
  console.error(`build_assets: ${message}`);
  process.exit(1);
}

function source(...parts) {
  const path = join(modules, ...parts);
  if (!existsSync(path)) fail(`missing ${parts.join("/")}; run "npm ci" first`);
  return path;
}

function copy(from, ...to) {
  const destination = join(target, ...to);
  mkdirSync(dirname(destination), { recursive: true });
  copyFileSync(from, destination);
}

function write(text, ...to) {
  const destination = join(target, ...to);
  mkdirSync(dirname(destination), { recursive: true });
  writeFileSync(destination, text);
}

function packageVersion(name) {
  return JSON.parse(readFileSync(source(name, "package.json"), "utf8")).version;
}

rmSync(target, { recursive: true, force: true });

// KRDS: the full stylesheet (reset + components) and the design tokens it imports. Its
// url()s point two folders up ("../../img/component/icon/x.svg"); they are rewritten to
// the flat layout below and every one must resolve to a copied icon.
const krds = ["krds-uiux", "resources"];
let css = readFileSync(source(...krds, "css", "component", "output.css"), "utf8");
const tokenImport = '@import "../../css/token/krds_tokens.css";';
if (!css.includes(tokenImport)) fail("krds output.css no longer imports the tokens as expected");
css = css.replace(tokenImport, '@import "krds_tokens.css";');
const icons = new Set();
css = css.replace(/url\(\.\.\/\.\.\/img\/component\/icon\/([\w-]+\.svg)\)/g, (_, name) => {
  icons.add(name);
  return `url(icon/${name})`;
});
const leftover = css.match(/url\((?!icon\/|["']?data:)[^)]*\)/);
if (leftover) fail(`krds output.css has a url() this script does not handle: ${leftover[0]}`);
write(css, "krds", "krds.css");
copy(source(...krds, "css", "token", "krds_tokens.css"), "krds", "krds_tokens.css");
for (const name of icons) copy(source(...krds, "img", "component", "icon", name), "krds", "icon", name);
copy(source(...krds, "img", "component", "favicon", "favicon.svg"), "krds", "favicon.svg");

// Pretendard GOV: KRDS bundles the subset fonts (Regular, Medium, Bold: the weights its
// tokens use) but no @font-face, so we write one. The subset covers the 2,350 common
// Hangul syllables; a rarer syllable in a name falls back to the system font.
const weights = { Regular: 400, Medium: 500, Bold: 700 };
const faces = [
  "/* Pretendard GOV, (c) 2021 Kil Hyung-jin, SIL Open Font License 1.1; files from krds-uiux */",
];
for (const [weight, value] of Object.entries(weights)) {
  const file = `PretendardGOV-${weight}.subset.woff2`;
  copy(source(...krds, "fonts", file), "pretendard", file);
  faces.push(
    `@font-face{font-family:"Pretendard GOV";font-weight:${value};font-style:normal;` +
      `font-display:swap;src:local("Pretendard GOV ${weight}"),url(${file}) format("woff2")}`,
  );
}
write(`${faces.join("\n")}\n`, "pretendard", "pretendard-gov.css");

// htmx 2.x (pinned in package.json; 4.x changes the attribute semantics).
const htmxVersion = packageVersion("htmx.org");
if (!htmxVersion.startsWith("2.")) fail(`htmx.org ${htmxVersion} installed; the templates need 2.x`);
copy(source("htmx.org", "dist", "htmx.min.js"), "htmx", "htmx.min.js");

write(
  `${JSON.stringify(
    { "krds-uiux": packageVersion("krds-uiux"), "htmx.org": htmxVersion, icons: icons.size },
    null,
    2,
  )}\n`,
  "VERSIONS.json",
);
console.log(`build_assets: krds ${packageVersion("krds-uiux")} (${icons.size} icons), htmx ${htmxVersion} -> build/vendor/vendor`);
