// The generated Prisma client (Rust-free, @prisma/adapter-pg) reads the migrated
// V2 data; every expectation is read with plain SQL from the same database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Prisma } from '@prisma/client';
import { newPool, newPrisma } from '../lib/db.mjs';

let pool;
let prisma;
const sql = async (text, params) => (await pool.query(text, params)).rows;

before(async () => {
  pool = newPool();
  prisma = newPrisma();
  const [{ users }] = await sql('SELECT count(*)::int AS users FROM dropskills_v2.users');
  assert.ok(users > 0, 'dropskills_v2.users is empty: run SELECT * FROM dskv2_migrate_all() first');
});

after(async () => {
  await prisma?.$disconnect();
  await pool?.end();
});

test('prisma: the table counts equal SQL counts', async () => {
  const tables = {
    user: 'users', category: 'categories', pack: 'packs', sample: 'samples', tag: 'tags',
    packTag: 'pack_tags', favorite: 'favorites', userPack: 'user_packs', packStat: 'pack_stats',
    aiTool: 'ai_tools', aiUsage: 'ai_usage', adminLog: 'admin_logs', trendingIdea: 'trending_ideas',
    migrationRun: 'migration_runs', migrationReject: 'migration_rejects', migrationState: 'migration_state',
    migrationMerge: 'migration_merges', verifyDiff: 'verify_diffs', triggerSetting: 'trigger_settings',
    aiUsageDaily: 'ai_usage_daily',
  };
  const got = {};
  const want = {};
  for (const [model, table] of Object.entries(tables)) {
    got[table] = await prisma[model].count();
    [{ n: want[table] }] = await sql(`SELECT count(*)::int AS n FROM dropskills_v2.${table}`);
  }
  assert.deepEqual(got, want);
  assert.ok(want.favorites > 0 && want.pack_tags > 0, 'the fixture migrated favorites and pack tags');
});

test('prisma: users with their favorites equal SQL', async () => {
  // Every user's number of favorites, through the relation count.
  const counted = await prisma.user.findMany({ select: { id: true, _count: { select: { favorites: true } } } });
  const sqlCounts = await sql(
    `SELECT u.id, count(f.pack_id)::int AS n FROM dropskills_v2.users u
       LEFT JOIN dropskills_v2.favorites f ON f.user_id = u.id GROUP BY u.id`);
  assert.equal(counted.length, sqlCounts.length);
  assert.deepEqual(
    Object.fromEntries(counted.map((u) => [u.id, u._count.favorites])),
    Object.fromEntries(sqlCounts.map((r) => [r.id, r.n])));

  // A relation filter: users with at least one favorite.
  const withFavorites = await prisma.user.count({ where: { favorites: { some: {} } } });
  const [{ n }] = await sql('SELECT count(DISTINCT user_id)::int AS n FROM dropskills_v2.favorites');
  assert.equal(withFavorites, n);

  // The five users with the most favorites, in full: user columns, favorites and their packs.
  const top = await sql(
    `SELECT u.id, u.email, u.full_name, u.role, u.created_at,
            json_agg(json_build_object('pack_id', f.pack_id, 'title', p.title, 'slug', p.slug,
                                       'created_at', f.created_at) ORDER BY f.pack_id) AS favorites
       FROM dropskills_v2.users u
       JOIN dropskills_v2.favorites f ON f.user_id = u.id
       JOIN dropskills_v2.packs p ON p.id = f.pack_id
      GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 5`);
  assert.equal(top.length, 5);
  const users = await prisma.user.findMany({
    where: { id: { in: top.map((r) => r.id) } },
    include: { favorites: { include: { pack: true }, orderBy: { packId: 'asc' } } },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const want of top) {
    const got = byId.get(want.id);
    assert.ok(got, `user ${want.id} read through Prisma`);
    assert.equal(got.email, want.email);
    assert.equal(got.fullName, want.full_name);
    assert.equal(got.role, want.role);
    assert.equal(got.createdAt?.getTime(), want.created_at?.getTime());
    assert.deepEqual(
      got.favorites.map((f) => ({ pack_id: f.packId, title: f.pack.title, slug: f.pack.slug })),
      want.favorites.map(({ pack_id, title, slug }) => ({ pack_id, title, slug })));
    // timestamptz: microseconds in PostgreSQL, milliseconds in JavaScript.
    got.favorites.forEach((f, i) => assert.ok(
      Math.abs(f.createdAt.getTime() - new Date(want.favorites[i].created_at).getTime()) < 1,
      `favorite ${want.id}/${f.packId} created_at`));
  }
});

test('prisma: packs with their tags (pack_tags -> tags) equal SQL', async () => {
  const packs = await prisma.pack.findMany({
    include: { packTags: { include: { tag: true } } },
    orderBy: { id: 'asc' },
  });
  const want = await sql(
    `SELECT p.id, coalesce(array_agg(t.slug ORDER BY t.slug) FILTER (WHERE t.id IS NOT NULL), '{}') AS tags
       FROM dropskills_v2.packs p
       LEFT JOIN dropskills_v2.pack_tags pt ON pt.pack_id = p.id
       LEFT JOIN dropskills_v2.tags t ON t.id = pt.tag_id
      GROUP BY p.id ORDER BY p.id`);
  assert.equal(packs.length, want.length);
  assert.deepEqual(
    Object.fromEntries(packs.map((p) => [p.id, p.packTags.map((pt) => pt.tag.slug).sort()])),
    Object.fromEntries(want.map((r) => [r.id, [...r.tags].sort()])));
  const links = packs.reduce((n, p) => n + p.packTags.length, 0);
  const [{ n }] = await sql('SELECT count(*)::int AS n FROM dropskills_v2.pack_tags');
  assert.equal(links, n);

  // From the other side: the most used tag, with its packs.
  const [top] = await sql(
    `SELECT t.id::text AS id, t.name, t.slug, array_agg(pt.pack_id::text ORDER BY pt.pack_id) AS packs
       FROM dropskills_v2.tags t JOIN dropskills_v2.pack_tags pt ON pt.tag_id = t.id
      GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1`);
  const tag = await prisma.tag.findUnique({
    where: { slug: top.slug },
    include: { packTags: { select: { packId: true }, orderBy: { packId: 'asc' } } },
  });
  assert.equal(typeof tag.id, 'bigint');
  assert.equal(tag.id.toString(), top.id);
  assert.equal(tag.name, top.name);
  assert.deepEqual(tag.packTags.map((pt) => pt.packId), top.packs);
});

test('prisma: exact values of a pack (numeric, jsonb, bigint, relations) equal SQL', async () => {
  const [want] = await sql(
    `SELECT p.id, p.slug, p.title, p.price::text AS price, p.is_premium, p.status, f.file_url,
            c.slug AS category_slug, u.email AS author_email,
            s.views::text AS views, s.downloads::text AS downloads,
            (SELECT count(*)::int FROM dropskills_v2.samples x WHERE x.pack_id = p.id) AS samples
       FROM dropskills_v2.packs p
       JOIN dropskills_v2.categories c ON c.id = p.category_id
       JOIN dropskills_v2.users u ON u.id = p.author_id
       JOIN dropskills_v2.pack_stats s ON s.pack_id = p.id
       JOIN dropskills_v2.pack_files f ON f.pack_id = p.id
      WHERE p.price IS NOT NULL AND p.price <> trunc(p.price)
      ORDER BY p.slug COLLATE "C" LIMIT 1`);
  assert.ok(want, 'the fixture has a pack with a fractional price, a category, an author and stats');
  const pack = await prisma.pack.findUnique({
    where: { slug: want.slug },
    include: { category: true, author: true, stats: true, file: true, _count: { select: { samples: true } } },
  });
  assert.equal(pack.id, want.id);
  assert.equal(pack.title, want.title);
  assert.ok(Prisma.Decimal.isDecimal(pack.price), 'numeric(10,2) reads as Prisma.Decimal');
  assert.equal(pack.price.toFixed(2), want.price);
  assert.equal(pack.isPremium, want.is_premium);
  assert.equal(pack.status, want.status);
  assert.equal(pack.file.fileUrl, want.file_url);
  assert.equal(pack.category.slug, want.category_slug);
  assert.equal(pack.author.email, want.author_email);
  assert.equal(pack.stats.views, BigInt(want.views));
  assert.equal(pack.stats.downloads, BigInt(want.downloads));
  assert.equal(pack._count.samples, want.samples);

  // jsonb: the migration's report of the last run, deep-equal to pg's parse of it.
  const [run] = await sql('SELECT id::text AS id, params, report, mode, status FROM dropskills_v2.migration_runs ORDER BY id DESC LIMIT 1');
  const got = await prisma.migrationRun.findFirst({ orderBy: { id: 'desc' } });
  assert.equal(got.id.toString(), run.id);
  assert.equal(got.mode, run.mode);
  assert.equal(got.status, run.status);
  assert.deepEqual(got.params, run.params);
  assert.deepEqual(got.report, run.report);

  // text[]: trigger_settings.ignored_columns.
  const settings = await prisma.triggerSetting.findMany({ orderBy: [{ kind: 'asc' }, { tableName: 'asc' }] });
  const wantSettings = await sql(
    `SELECT kind, table_name, enabled, ignored_columns FROM dropskills_v2.trigger_settings
      ORDER BY kind COLLATE "C", table_name COLLATE "C"`);
  assert.deepEqual(
    settings.map((s) => [s.kind, s.tableName, s.enabled, s.ignoredColumns]),
    wantSettings.map((s) => [s.kind, s.table_name, s.enabled, s.ignored_columns]));
});

test('prisma: a write in an interactive transaction (user_packs), rolled back', async () => {
  const [{ user_id, pack_id }] = await sql(
    `SELECT u.id AS user_id, p.id AS pack_id FROM dropskills_v2.users u, dropskills_v2.packs p
      WHERE NOT EXISTS (SELECT 1 FROM dropskills_v2.user_packs x WHERE x.user_id = u.id AND x.pack_id = p.id)
      ORDER BY u.id, p.id LIMIT 1`);
  const before = await prisma.userPack.count();
  const rollback = new Error('rollback');
  await assert.rejects(prisma.$transaction(async (tx) => {
    const row = await tx.userPack.create({
      data: { userId: user_id, packId: pack_id, access: 'gifted', progress: new Prisma.Decimal('12.5') },
      include: { pack: { select: { slug: true } }, user: { select: { email: true } } },
    });
    assert.equal(row.access, 'gifted');
    assert.equal(row.progress.toFixed(2), '12.50');
    assert.ok(row.acquiredAt instanceof Date, 'acquired_at defaults to now()');
    const [{ slug }] = await tx.$queryRaw`SELECT slug FROM dropskills_v2.packs WHERE id = ${pack_id}::uuid`;
    assert.equal(row.pack.slug, slug);
    // The CHECK constraint (0 <= progress <= 100) is the database's.
    await assert.rejects(
      tx.$executeRaw`UPDATE dropskills_v2.user_packs SET progress = 101 WHERE user_id = ${user_id}::uuid AND pack_id = ${pack_id}::uuid`,
      /user_packs_progress_check|violates check constraint/);
    throw rollback;
  }), (err) => err === rollback);
  assert.equal(await prisma.userPack.count(), before);
});
