import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layers of src/, bottom to top: a file may import its own layer or one
 * below it, never one above. `app` is the files directly in src/ (bootstrap,
 * app module, main); `migrations` is the top-level folder of that name.
 * README.md ("Layers") says the same; change both together.
 */
export const LAYERS = [
  'config',
  'common',
  'core',
  'auth',
  'migrations',
  'db',
  'items',
  'transactions',
  'peers',
  'sync',
  'admin',
  'health',
  'app',
] as const;

/** Run from the project root, as `npm run layers` does. */
const ROOT = process.cwd();
const SRC = join(ROOT, 'src');
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The layer of a path under the project root, or undefined outside src/ and migrations/. */
function layerOf(path: string): string | undefined {
  const parts = relative(ROOT, path).split(sep);
  if (parts[0] === 'migrations') return 'migrations';
  if (parts[0] !== 'src') return undefined;
  return parts.length === 2 ? 'app' : parts[1];
}

interface Finding {
  edges: Map<string, number>;
  problems: string[];
}

function check(): Finding {
  const rank = new Map<string, number>(LAYERS.map((layer, i) => [layer, i]));
  const edges = new Map<string, number>();
  const problems: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file)!;
    const name = relative(ROOT, file);
    if (!rank.has(from)) problems.push(`${name}: folder "${from}" is not in the declared layers`);
    for (const [, target] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = layerOf(resolve(dirname(file), target));
      if (to === undefined || to === from) continue;
      edges.set(`${from} -> ${to}`, (edges.get(`${from} -> ${to}`) ?? 0) + 1);
      if ((rank.get(to) ?? Infinity) > (rank.get(from) ?? -1)) problems.push(`${name} imports '${target}' (${from} -> ${to}: upward)`);
    }
  }
  return { edges, problems };
}

const { edges, problems } = check();
console.log(`layers, bottom to top: ${LAYERS.join(' < ')}`);
console.log('folder imports (edge: import statements):');
for (const [edge, count] of [...edges].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${edge}: ${count}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} import(s) against the layer order:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log('no import against the layer order');
