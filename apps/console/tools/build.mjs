// Builds the console (vite) into dist/apps/console and prints the initial JavaScript's gzipped size.
// `--if-needed` (npm start) builds only when the sources changed since the last build: a hash of
// apps/console's sources and the lock file is kept beside the output.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('..', import.meta.url));
const repo = join(here, '..', '..');
const out = join(repo, 'dist', 'apps', 'console');
const stamp = join(out, '.source-hash');

const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});

function sourceHash() {
  const hash = createHash('sha256');
  // schema.d.ts is generated (types only: the bundle does not depend on it).
  const inputs = [...files(join(here, 'src')).filter((f) => !f.endsWith('.d.ts')), join(here, 'index.html'), join(here, 'vite.config.mjs'), join(repo, 'package-lock.json')].sort();
  for (const file of inputs) hash.update(relative(repo, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The scripts index.html loads at once (its module entry and the chunks it preloads), gzipped. */
export function initialJs(dir = out) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const urls = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]);
  const sizes = urls.map((url) => {
    const body = readFileSync(join(dir, url.replace(/^\//, '')));
    return { url, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { files: sizes, raw: sizes.reduce((s, f) => s + f.raw, 0), gzip: sizes.reduce((s, f) => s + f.gzip, 0) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export async function buildConsole({ ifNeeded = false, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const hash = sourceHash();
  if (ifNeeded && existsSync(join(out, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return false;
  const started = Date.now();
  // The production build whatever the caller's NODE_ENV (jest sets 'test', which would bundle React's development build).
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: join(here, 'vite.config.mjs'), logLevel: 'warn' });
  writeFileSync(stamp, hash);
  const size = initialJs();
  log(`console: built into ${relative(repo, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s; initial JavaScript ${kb(size.gzip)} gzipped (${kb(size.raw)} raw, ${size.files.length} file(s))`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args.includes('--size')) {
    const size = initialJs();
    process.stdout.write(`console initial JavaScript: ${kb(size.gzip)} gzipped, ${kb(size.raw)} raw\n${size.files.map((f) => `  ${f.url}: ${kb(f.gzip)} gzipped`).join('\n')}\n`);
  } else {
    await buildConsole({ ifNeeded: args.includes('--if-needed') });
  }
}
