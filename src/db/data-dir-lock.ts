import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id runs (one we may not signal runs too). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One process per `DATA_DIR`: the embedded database is a single process's
 * files, and a second PGlite on them would corrupt them. The lock is a file
 * created exclusively, holding the owner's pid; a file left by a process
 * that is gone (killed) is taken over.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static take(dataDir: string): DataDirLock {
    const path = join(dataDir, 'logsync.pid');
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new Error(`DATA_DIR ${dataDir} is in use by another logsync process (pid ${owner})`);
      }
      unlinkSync(path);
    }
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
