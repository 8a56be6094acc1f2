import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from './db.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Arbitrary constant: serializes concurrent `migrate` runs on one Postgres. */
const MIGRATION_LOCK_KEY = 7_301_117;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNN_name.sql` files in order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number.parseInt(f, 10), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies every migration not yet recorded, each in its own transaction, forward only,
 * and returns the names applied. Holds a session advisory lock so several processes
 * starting at once apply each migration exactly once.
 */
export async function migrate(handle: DatabaseHandle, migrations = readMigrations()): Promise<string[]> {
  return handle.withSession(async (s) => {
    await s.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await s.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      const rows = await s.exec('SELECT version FROM schema_migrations');
      const done = new Set(rows.map((r) => Number(r['version'])));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        const name = m.name.replace(/'/g, "''");
        await s.exec(
          `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${name}');\nCOMMIT;`,
        );
        applied.push(m.name);
      }
      return applied;
    } catch (err) {
      await s.exec('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await s.exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}
