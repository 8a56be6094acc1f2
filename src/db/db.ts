import { mkdirSync } from 'node:fs';
import {
  Kysely,
  type PostgresCursor,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
} from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from './db.types.ts';

/**
 * A single connection that can run multi-statement SQL scripts (the simple query
 * protocol); Kysely's prepared statements cannot. Used by the migrator and locks.
 */
export interface SqlSession {
  /** Runs a script of one or more statements; returns the rows of the last one. */
  exec(script: string): Promise<Record<string, unknown>[]>;
}

/**
 * Marks a statement for the server's plan cache: SQL that starts with this comment is prepared
 * once per connection under `name` and re-executed from then on (PostgreSQL switches to a generic
 * plan after a few runs), where an unnamed statement is parsed and planned on every execution.
 * Only for statements whose text never varies (lists travel as array parameters): the server keeps
 * one prepared statement per name and connection. PGlite reads it as the comment it is.
 */
export function prepared(name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`bad prepared statement name: ${name}`);
  return `/* prepare:${name} */`;
}
const PREPARED = /^\/\* prepare:([a-z][a-z0-9_]*) \*\//;

export interface HeldLock {
  /** Resolves true while the lock's connection is alive. */
  check(): Promise<boolean>;
  release(): Promise<void>;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /**
   * Tries to take a lock held for as long as the returned handle lives (a Postgres session
   * advisory lock on a dedicated connection, released by the server if this process dies).
   * Returns null when another process holds it.
   */
  tryLock(key: string): Promise<HeldLock | null>;
  /** Runs `fn` on one dedicated connection, released afterwards. */
  withSession<T>(fn: (s: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Builds the one Kysely instance: pg for DATABASE_URL, else embedded PGlite in DATA_DIR.
 * Nothing connects until the first query. Drivers are imported lazily so the embedded
 * database's WASM is never loaded when Postgres is configured.
 */
export async function openDatabase(
  database: Config['database'],
  opts: { poolSize?: number } = {},
): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: database.url, max: opts.poolSize ?? 20 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    return {
      db,
      kind: 'postgres',
      async withSession(fn) {
        const client = await pool.connect();
        try {
          return await fn({
            async exec(script) {
              const res = await client.query(script);
              const last = Array.isArray(res) ? res[res.length - 1] : res;
              return (last?.rows ?? []) as Record<string, unknown>[];
            },
          });
        } finally {
          client.release();
        }
      },
      async tryLock(key) {
        // A dedicated client outside the pool: the lock must outlive pool churn.
        const client = new pg.Client({ connectionString: database.url });
        client.on('error', () => undefined);
        await client.connect();
        const res = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
        if (!res.rows[0]?.ok) {
          await client.end();
          return null;
        }
        return {
          check: () =>
            client.query('SELECT 1').then(
              () => true,
              () => false,
            ),
          release: () => client.end().catch(() => undefined),
        };
      },
      close: () => db.destroy(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const dir = database.dataDir === ':memory:' ? undefined : `${database.dataDir}/pglite`;
  if (dir) mkdirSync(dir, { recursive: true });
  // Same value shapes as node-postgres: int8 as string, bytea as Buffer.
  const parsers = {
    20: (v: string) => v,
    17: (v: string) => Buffer.from(v.slice(2), 'hex'),
  };
  const pglite = dir ? new PGlite(dir, { parsers }) : new PGlite({ parsers });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    // PGlite has one connection; Kysely's dialect serializes use of it.
    withSession: (fn) =>
      fn({
        async exec(script) {
          const res = await pglite.exec(script);
          return (res[res.length - 1]?.rows ?? []) as Record<string, unknown>[];
        },
      }),
    // One process owns an embedded database: an in-process set is the lock.
    async tryLock(key) {
      if (localLocks.has(key)) return null;
      localLocks.add(key);
      return { check: async () => true, release: async () => void localLocks.delete(key) };
    },
    close: () => db.destroy(),
  };
}

const localLocks = new Set<string>();

/**
 * Errors after which a connection's prepared statements cannot be trusted: the server lost them
 * (26000: a pooler in transaction mode, DISCARD/DEALLOCATE ALL), a migration changed a prepared
 * statement's result type under it (0A000), or the server has one the driver does not know (42P05).
 * The driver remembers what it prepared per connection and would never prepare it again.
 */
const STALE_PREPARED = new Set(['26000', '0A000', '42P05']);

/**
 * The pg pool as Kysely uses it, with statements marked by `prepared()` sent as named statements.
 * A connection on which one failed as stale is closed on release (the pool opens a fresh one), so
 * the next try prepares again instead of failing on that connection until a restart.
 */
function preparingPool(pool: import('pg').Pool): PostgresPool {
  const wrappers = new WeakMap<object, { client: PostgresPoolClient; stale: Error | null }>();
  return {
    async connect() {
      const client = await pool.connect();
      let entry = wrappers.get(client);
      if (!entry) {
        const state: { client: PostgresPoolClient; stale: Error | null } = {
          stale: null,
          client: null as unknown as PostgresPoolClient,
        };
        const wrapped = {
          query(sqlOrCursor: string | PostgresCursor<unknown>, parameters?: readonly unknown[]) {
            if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as never);
            const name = PREPARED.exec(sqlOrCursor)?.[1];
            const values = parameters as unknown[];
            if (!name) return client.query(sqlOrCursor, values);
            return client.query({ name, text: sqlOrCursor, values }).catch((err: unknown) => {
              const code = (err as { code?: unknown }).code;
              if (typeof code === 'string' && STALE_PREPARED.has(code)) state.stale = err as Error;
              throw err;
            });
          },
          release: () => {
            const stale = state.stale;
            state.stale = null;
            // A truthy argument makes pg destroy the connection instead of pooling it.
            client.release(stale ?? undefined);
          },
        };
        // Kysely's client type has one overload per argument shape; this one function serves both.
        state.client = wrapped as unknown as PostgresPoolClient;
        entry = state;
        wrappers.set(client, entry);
      }
      return entry.client;
    },
    end: () => pool.end(),
  };
}
