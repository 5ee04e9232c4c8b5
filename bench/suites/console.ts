/**
 * The console's initial JavaScript (issue 14: under 300 KB gzipped): a production build of
 * apps/console, then the scripts its index.html loads at once (module entry and preloaded
 * chunks), each gzipped at level 9. Measured here, never asserted in a test.
 */
import path from 'path';
import { pathToFileURL } from 'url';

export interface ConsoleResult {
  readonly files: number;
  readonly rawKiB: number;
  readonly gzipKiB: number;
  readonly buildSeconds: number;
}

interface Built {
  buildConsole(options: { log: (m: string) => void }): Promise<boolean>;
  initialJs(): { files: readonly unknown[]; raw: number; gzip: number };
}

export async function consoleSuite(log: (m: string) => void): Promise<ConsoleResult> {
  const tool = pathToFileURL(path.resolve(__dirname, '..', '..', 'apps', 'console', 'tools', 'build.mjs')).href;
  const { buildConsole, initialJs } = (await import(tool)) as Built;
  const started = Date.now();
  await buildConsole({ log });
  const size = initialJs();
  return { files: size.files.length, rawKiB: size.raw / 1024, gzipKiB: size.gzip / 1024, buildSeconds: (Date.now() - started) / 1000 };
}

export function consoleMarkdown(r: ConsoleResult | undefined): string[] {
  const out = ['## 8. Console: initial JavaScript', ''];
  if (!r) return [...out, 'not run', ''];
  out.push('The production build of `apps/console` (`npm run console:build`); what `index.html` loads at once, gzipped (level 9). Target of issue 14: under 300 KB gzipped.', '');
  out.push('| files | raw (KB) | gzipped (KB) | build (s) |', '|---:|---:|---:|---:|');
  out.push(`| ${r.files} | ${r.rawKiB.toFixed(1)} | ${r.gzipKiB.toFixed(1)} | ${r.buildSeconds.toFixed(1)} |`, '');
  return out;
}
