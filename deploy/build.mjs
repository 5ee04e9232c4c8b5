// Compiles the services to plain JavaScript for the image (deploy/Dockerfile) and the chart's test:
// `node deploy/build.mjs [outDir]` (default dist/) writes outDir/apps/<service>/src/main.js and the
// libs they import, with the @dotpha/* aliases rewritten to relative paths, decorator metadata
// emitted (NestJS needs it) and the libs' data files (organisation sample, published schemas)
// copied beside. Run with `node outDir/apps/<service>/src/main.js`: no TypeScript at run time.
// With `--console`, also the console (apps/console, built by Vite) into outDir/console, which the
// console's gateway (`node outDir/apps/platform/src/gateway.js`, DOTPHA_CONSOLE_DIR=outDir/console)
// and the one-process host serve.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The five services of an instance and the one-process host (with the console's gateway, apps/platform/src/gateway.ts). */
export const SERVICES = ['proposals', 'approvals', 'monitoring', 'evaluation', 'rewards', 'platform'];
/** Where the console goes in the output, beside the gateway's entry apps/platform/src/gateway.js (the image's DOTPHA_CONSOLE_DIR). */
export const CONSOLE_OUT = 'console';

const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'));
const skipped = (name) => /\.spec\.ts$|\.d\.ts$/.test(name) || name === 'jest.config.js' || name === 'project.json';

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'e2e', 'tools'].includes(entry.name)) yield* sourceFiles(full);
    } else if (!skipped(entry.name)) yield full;
  }
}

/** Every lib and the services' own folders (apps/console is not a Node service). */
function roots() {
  // The test kits are for tests only (their dependencies are dev ones, not in the image).
  const libs = fs.readdirSync(path.join(ROOT, 'libs')).filter((name) => !name.endsWith('testkit')).map((name) => path.join(ROOT, 'libs', name));
  return [...libs, ...SERVICES.map((name) => path.join(ROOT, 'apps', name, 'src'))].filter((dir) => fs.existsSync(dir));
}

export async function build(outDir = path.join(ROOT, 'dist')) {
  const started = Date.now();
  let compiled = 0;
  let copied = 0;
  const jobs = [];
  for (const root of roots()) {
    for (const file of sourceFiles(root)) {
      const target = path.join(outDir, path.relative(ROOT, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!file.endsWith('.ts')) {
        fs.copyFileSync(file, target);
        copied += 1;
        continue;
      }
      compiled += 1;
      jobs.push(
        transformFile(file, {
          sourceMaps: true,
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
            baseUrl: ROOT,
            paths: compilerOptions.paths,
          },
          module: { type: 'commonjs' },
        }).then(({ code, map }) => {
          const js = target.replace(/\.ts$/, '.js');
          fs.writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
          if (map) fs.writeFileSync(`${js}.map`, map);
        }),
      );
    }
  }
  await Promise.all(jobs);
  return { outDir, compiled, copied, ms: Date.now() - started };
}

/** The console built by Vite (apps/console/vite.config.mjs) straight into outDir/console: the shared dist/apps/console is left alone. */
export function buildConsole(outDir) {
  const started = Date.now();
  const target = path.join(outDir, CONSOLE_OUT);
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // The production build whatever the caller's NODE_ENV (jest sets 'test', which would bundle React's development build).
  execFileSync(process.execPath, [vite, 'build', '--config', path.join(ROOT, 'apps', 'console', 'vite.config.mjs'), '--outDir', target, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { dir: target, ms: Date.now() - started };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outDir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(ROOT, 'dist'));
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await build(outDir);
  console.log(`compiled ${result.compiled} files (${result.copied} copied) to ${path.relative(process.cwd(), outDir) || '.'} in ${result.ms} ms`);
  if (args.includes('--console')) {
    const console_ = buildConsole(outDir);
    console.log(`console in ${path.relative(process.cwd(), console_.dir)} (${console_.ms} ms)`);
  }
}
