// Connections of the clients' tests. The database is the one libpq's variables
// name (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, as scripts/lib.sh
// exports them), or DATABASE_URL when set: a database with the extension, the
// legacy fixture and a completed `SELECT * FROM dskv2_migrate_all()`.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';

export const pgConfig = () =>
  process.env.DATABASE_URL ? { connectionString: process.env.DATABASE_URL } : {};

export const newPool = (extra = {}) => new pg.Pool({ ...pgConfig(), max: 4, ...extra });

/** The generated Prisma client (Rust-free), connected through @prisma/adapter-pg. */
export function newPrisma() {
  const adapter = new PrismaPg({ ...pgConfig(), max: 4 }, { schema: 'dropskills_v2' });
  return new PrismaClient({ adapter });
}

/**
 * One API request the way PostgREST makes it: a transaction, SET LOCAL ROLE to
 * the JWT's role, the claims in request.jwt.claims (transaction-local), then
 * the request's statements; rolled back at the end (`commit: true` to keep).
 *   claims: { sub: '<uuid>', role: 'authenticated' } or { role: 'anon' }
 */
export async function asRequest(pool, claims, fn, { commit = false } = {}) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // A role name cannot be a bind parameter: quote it as an identifier.
    await client.query(`SET LOCAL ROLE ${client.escapeIdentifier(claims.role)}`);
    await client.query("SELECT set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    const result = await fn(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
