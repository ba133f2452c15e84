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
  'http',
  'auth',
  'migrations',
  'db',
  'items',
  'transactions',
  'peers',
  'sync',
  'admin',
  'health',
  'status',
  'openapi',
  'app',
] as const;

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The layer of a path under `root`, or undefined outside src/ and migrations/. */
function layerOf(root: string, path: string): string | undefined {
  const parts = relative(root, path).split(sep);
  if (parts[0] === 'migrations') return 'migrations';
  if (parts[0] !== 'src') return undefined;
  return parts.length === 2 ? 'app' : parts[1];
}

export interface LayerReport {
  /** `from -> to` between folders, with the number of import statements. */
  edges: Map<string, number>;
  /** Each import against the order, naming file and import. */
  problems: string[];
}

/** Reads every relative import under `root`/src. */
export function checkLayers(root: string): LayerReport {
  const rank = new Map<string, number>(LAYERS.map((layer, i) => [layer, i]));
  const edges = new Map<string, number>();
  const problems: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const from = layerOf(root, file)!;
    const name = relative(root, file);
    if (!rank.has(from)) problems.push(`${name}: folder "${from}" is not in the declared layers`);
    for (const [, target] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = layerOf(root, resolve(dirname(file), target));
      if (to === undefined || to === from) continue;
      edges.set(`${from} -> ${to}`, (edges.get(`${from} -> ${to}`) ?? 0) + 1);
      const upward = rank.has(from) && (rank.get(to) ?? Infinity) > rank.get(from)!;
      if (upward) problems.push(`${name} imports '${target}' (${from} -> ${to}: upward)`);
    }
  }
  return { edges, problems };
}

function main(): void {
  // Run from the project root, as `npm run layers` does.
  const { edges, problems } = checkLayers(process.cwd());
  console.log(`layers, bottom to top: ${LAYERS.join(' < ')}`);
  console.log('folder imports (edge: import statements):');
  for (const [edge, count] of [...edges].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${edge}: ${count}`);
  if (problems.length > 0) {
    console.error(`\n${problems.length} import(s) against the layer order:`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log('no import against the layer order');
}

if (require.main === module) main();
