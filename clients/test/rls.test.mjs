// Row level security on V2 as the API sees it: node-postgres acting the way
// PostgREST does, one transaction per request with SET LOCAL ROLE and the JWT
// claims in request.jwt.claims (transaction-local).
//
// The policies (docs/security.md, "The role matrix", created by dskv2_create_schema): an authenticated
// user reads only their own favorites and their own users row, cannot update
// another user's row, reads packs and pack_files with select * (no gated file URL); anon cannot read users.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { asRequest, newPool } from '../lib/db.mjs';

let pool;
let me;     // a user with favorites: the authenticated caller
let other;  // another user with favorites
const sql = async (text, params) => (await pool.query(text, params)).rows;
const authenticated = () => ({ sub: me.id, role: 'authenticated' });
const isDenied = (err) => err?.code === '42501';  // insufficient_privilege

before(async () => {
  pool = newPool();
  const [{ on }] = await sql(
    "SELECT relrowsecurity AS on FROM pg_class WHERE oid = 'dropskills_v2.favorites'::regclass");
  assert.equal(on, true, 'row level security is on for dropskills_v2.favorites');
  [me, other] = await sql(
    `SELECT u.id, u.full_name, count(*)::int AS favorites
       FROM dropskills_v2.users u JOIN dropskills_v2.favorites f ON f.user_id = u.id
      GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 2`);
  assert.ok(me && other, 'two users with favorites in the migrated data');
});
after(async () => pool?.end());

test('rls: an authenticated user reads only their own favorites', async () => {
  const rows = await asRequest(pool, authenticated(), async (c) => (await c.query(
    'SELECT user_id, count(*)::int AS n FROM dropskills_v2.favorites GROUP BY user_id')).rows);
  assert.deepEqual(rows, [{ user_id: me.id, n: me.favorites }]);
  const theirs = await asRequest(pool, authenticated(), async (c) => (await c.query(
    'SELECT count(*)::int AS n FROM dropskills_v2.favorites WHERE user_id = $1', [other.id])).rows[0].n);
  assert.equal(theirs, 0, "another user's favorites, asked for by id");
});

test('rls: an authenticated user reads only their own users row', async () => {
  const rows = await asRequest(pool, authenticated(), async (c) => (await c.query(
    'SELECT id FROM dropskills_v2.users')).rows);
  assert.deepEqual(rows, [{ id: me.id }]);
});

test("rls: an authenticated user cannot update another user's row", async () => {
  let updated;
  try {
    updated = await asRequest(pool, authenticated(), async (c) => (await c.query(
      "UPDATE dropskills_v2.users SET full_name = 'rls probe' WHERE id = $1", [other.id])).rowCount);
  } catch (err) {
    if (!isDenied(err)) throw err;
    updated = 0;  // refused outright (no UPDATE privilege): as good
  }
  assert.equal(updated, 0);
  const [{ full_name }] = await sql('SELECT full_name FROM dropskills_v2.users WHERE id = $1', [other.id]);
  assert.equal(full_name, other.full_name);
});

test('rls: select * works for anon and authenticated, and file URLs follow pack_files\' policies', async () => {
  const [{ n }] = await sql(`SELECT count(*)::int AS n FROM dropskills_v2.pack_files f
                               JOIN dropskills_v2.packs p ON p.id = f.pack_id
                              WHERE f.file_url IS NOT NULL AND (p.status <> 'published' OR p.is_premium)`);
  assert.ok(n > 0, 'the fixture has gated file URLs (premium or unpublished packs)');
  for (const who of [{ role: 'anon' }, authenticated()]) {
    const packs = await asRequest(pool, who, async (c) => (await c.query('SELECT * FROM dropskills_v2.packs')).rows);
    assert.ok(packs.length > 0, 'select * on packs returns rows');
    assert.ok(!('file_url' in packs[0]), 'packs has no file_url column');
    const leaked = await asRequest(pool, who, async (c) => (await c.query(
      `SELECT count(*)::int AS n FROM (SELECT * FROM dropskills_v2.pack_files) f
         JOIN dropskills_v2.packs p ON p.id = f.pack_id WHERE p.is_premium`)).rows[0].n);
    assert.equal(leaked, 0, 'premium file URLs visible without a user_packs row');
  }
});

test('rls: anon cannot read users', async () => {
  let seen;
  try {
    seen = await asRequest(pool, { role: 'anon' }, async (c) => (await c.query(
      'SELECT count(*)::int AS n FROM dropskills_v2.users')).rows[0].n);
  } catch (err) {
    if (!isDenied(err)) throw err;
    seen = 0;
  }
  assert.equal(seen, 0);
});
