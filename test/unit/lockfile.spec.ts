import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  link?: boolean;
}

/**
 * `npm ci` refuses a lockfile with a package entry that has no version
 * ("Invalid Version:"), which some npm releases write for optional
 * platform packages. Every entry but the root and workspace links must
 * name its version.
 */
describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as {
    lockfileVersion: number;
    packages: Record<string, LockEntry>;
  };

  it('is a version 3 lockfile', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('names a version for every installed package', () => {
    const unversioned = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.link && !entry.version)
      .map(([path]) => path);
    expect(unversioned).toEqual([]);
  });
});
