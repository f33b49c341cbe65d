// Copies the libsodium.js files the application serves from node_modules/
// (installed by `npm ci` from package-lock.json) into vendor/, which
// dissentd serves at /vendor/.  The ES module build imports its core by
// the bare name "libsodium-sumo", which a browser cannot resolve without
// an import map (an inline script, which the CSP forbids); the copy names
// the file instead.  vendor/ is not committed: `make` and CI rebuild it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(web, 'node_modules');
const vendor = join(web, 'vendor');

const BARE = 'from"libsodium-sumo"';
const LOCAL = 'from"./libsodium-sumo.mjs"';

const files = [
  {
    from: 'libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs',
    to: 'libsodium-wrappers.mjs',
    edit: (text) => {
      const n = text.split(BARE).length - 1;
      if (n !== 1) {
        throw new Error(`libsodium-wrappers.mjs: expected one import of "libsodium-sumo", found ${n}`);
      }
      return text.replace(BARE, LOCAL);
    },
  },
  {
    from: 'libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs',
    to: 'libsodium-sumo.mjs',
    edit: (text) => text,
  },
];

async function main() {
  await mkdir(vendor, { recursive: true });
  for (const f of files) {
    let text;
    try {
      text = await readFile(join(modules, f.from), 'utf8');
    } catch (e) {
      throw new Error(`${f.from} is missing: run "npm ci" in web/ first (${e.code})`);
    }
    const out = f.edit(text);
    // Write then rename, so a running server never serves half a file.
    const tmp = join(vendor, `.${f.to}.tmp`);
    await writeFile(tmp, out);
    await rename(tmp, join(vendor, f.to));
  }
}

main().catch((e) => {
  console.error(`vendor: ${e.message}`);
  process.exit(1);
});
