import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkLayers } from '../../scripts/check-layers';

/** A throwaway project root holding `files` (path → source). */
function withTree(files: Record<string, string>, use: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'logsync-layers-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    use(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the layer check', () => {
  it('counts imports between folders and accepts imports downward', () => {
    withTree(
      {
        'src/core/winner.ts': "import type { VersionKey } from './version';\n",
        'src/items/items.service.ts':
          "import { compareVersions } from '../core/winner';\nimport type { X } from '../core/version';\n",
        'src/app.module.ts': "import { ItemsModule } from './items/items.module';\n",
      },
      (root) => {
        const report = checkLayers(root);
        expect(report.problems).toEqual([]);
        expect(Object.fromEntries(report.edges)).toEqual({ 'items -> core': 2, 'app -> items': 1 });
      },
    );
  });

  it('names the file and the import of every upward import, type-only and dynamic ones included', () => {
    withTree(
      {
        'src/items/local-writer.ts': "import { stampWrite } from '../sync/winner';\n",
        'src/core/version.ts':
          "import type { ItemView } from '../items/item.view';\nconst x = import('../admin/admin.service');\n",
      },
      (root) => {
        expect(checkLayers(root).problems.sort()).toEqual([
          "src/core/version.ts imports '../admin/admin.service' (core -> admin: upward)",
          "src/core/version.ts imports '../items/item.view' (core -> items: upward)",
          "src/items/local-writer.ts imports '../sync/winner' (items -> sync: upward)",
        ]);
      },
    );
  });

  it('refuses a folder that is not in the declared order', () => {
    withTree({ 'src/misc/helpers.ts': "import { Clock } from '../common/clock';\n" }, (root) => {
      expect(checkLayers(root).problems).toEqual(['src/misc/helpers.ts: folder "misc" is not in the declared layers']);
    });
  });
});
