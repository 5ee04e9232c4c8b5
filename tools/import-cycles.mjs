// No import cycles (issue 13): every .ts file of libs, apps, test and bench, its imports resolved
// the way tsc resolves them (tsconfig paths included), and each cycle printed as a chain of files.
// Type-only imports count: a cycle of types is still two files that cannot be read apart.
// Exits 1 when there is a cycle. Run by `npm run lint`.
import { readFileSync } from 'fs';
import { relative, resolve } from 'path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const configFile = ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile);
const config = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
const files = config.fileNames.filter((f) => !f.includes('/node_modules/'));
const host = ts.createCompilerHost(config.options);

const edges = new Map();
for (const file of files) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets = new Set();
  for (const { fileName } of importedFiles) {
    const resolved = ts.resolveModuleName(fileName, file, config.options, host).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport && !resolved.resolvedFileName.endsWith('.d.ts')) targets.add(resolve(resolved.resolvedFileName));
  }
  edges.set(resolve(file), [...targets]);
}

// Tarjan's strongly connected components: every component of more than one file holds a cycle.
let index = 0;
const stack = [];
const state = new Map();
const components = [];
function connect(node) {
  const entry = { index, low: index, onStack: true };
  index++;
  state.set(node, entry);
  stack.push(node);
  for (const next of edges.get(node) ?? []) {
    if (!state.has(next)) {
      connect(next);
      entry.low = Math.min(entry.low, state.get(next).low);
    } else if (state.get(next).onStack) entry.low = Math.min(entry.low, state.get(next).index);
  }
  if (entry.low === entry.index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (edges.get(node) ?? []).includes(node)) components.push(component);
  }
}
for (const node of edges.keys()) if (!state.has(node)) connect(node);

/** One shortest cycle through the component's first file, for the message. */
function cycleOf(component) {
  const inside = new Set(component);
  const start = component.slice().sort()[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const node = queue.shift();
    for (const next of edges.get(node) ?? []) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (previous.get(path[0])) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component;
}

/** Cycles reported to their owners and waiting for their fix: printed, not failed on. Remove an entry once it is fixed. */
const KNOWN = [];
const isKnown = (component) => {
  const names = component.map((f) => relative(root, f)).sort().join();
  return KNOWN.some((known) => known.slice().sort().join() === names);
};
const describe = (component) => `${cycleOf(component).map((f) => relative(root, f)).join(' -> ')}${component.length > 2 ? ` (${component.length} files in the knot)` : ''}`;
const known = components.filter(isKnown);
const found = components.filter((c) => !isKnown(c));
for (const component of known) console.warn(`import cycle (known, to be fixed): ${describe(component)}`);
if (found.length === 0) {
  console.log(`import cycles: none new in ${files.length} files`);
} else {
  console.error(`import cycles: ${found.length} found in ${files.length} files`);
  for (const component of found) console.error(`- ${describe(component)}`);
  process.exitCode = 1;
}
