// Debian's Chromium for the console's browser test (Playwright's own browser download cannot be
// reached here). Installs it with apt-get when /usr/bin/chromium is missing and says what it did;
// a failed install exits non-zero, so the test fails instead of skipping.
// `node apps/console/e2e/ensure-chromium.mjs` prints the browser's path.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.DOTPHA_CHROMIUM || '/usr/bin/chromium';

export function ensureChromium(log = (m) => process.stderr.write(`${m}\n`)) {
  if (existsSync(CHROMIUM)) {
    log(`console test: using ${CHROMIUM}`);
    return CHROMIUM;
  }
  log(`console test: ${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  const run = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  run(['update']);
  run(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-core']);
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium finished but ${CHROMIUM} is still missing`);
  log(`console test: installed ${execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim()}`);
  return CHROMIUM;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${ensureChromium()}\n`);
}
