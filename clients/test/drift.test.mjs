// Drift: prisma/schema.prisma against schema dropskills_v2 of the live database
// (tables, columns, types, nullability, defaults, primary keys, unique keys,
// indexes, foreign keys). Then proof that the check fails: doctored copies of
// schema.prisma and of the database's shape must be reported, line by line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACCEPTED, compareShapes, databaseShape, dmmfOf, judge, prismaShape, readSchema,
} from '../lib/drift.mjs';
import { newPool } from '../lib/db.mjs';

let pool;
let dbShape;
let schemaText;

before(async () => {
  pool = newPool();
  dbShape = await databaseShape(pool);
  schemaText = readSchema();
  baseline = new Set(diff(schemaText));
});
after(async () => pool?.end());

const diff = (text, db = dbShape) => compareShapes(prismaShape(dmmfOf(text)), db);
// The differences a doctoring introduces: independent of any real drift (which
// the first test reports).
let baseline;
const introduced = (differences) => differences.filter((d) => !baseline.has(d));
// Replaces exactly one occurrence of `from` in schema.prisma.
function doctor(from, to) {
  const at = schemaText.indexOf(from);
  assert.ok(at >= 0 && schemaText.indexOf(from, at + 1) < 0, `exactly one "${from}" in schema.prisma`);
  return schemaText.slice(0, at) + to + schemaText.slice(at + from.length);
}
const cloneShape = (shape) => structuredClone(shape);

test('drift: schema.prisma describes every table of dropskills_v2, column by column', (t) => {
  assert.ok(dbShape.tables.size >= 20, `dropskills_v2 has its tables (found ${dbShape.tables.size})`);
  const { unexpected, stale } = judge(diff(schemaText));
  for (const name of dbShape.notRepresentable) t.diagnostic(`not expressible in Prisma, not compared: ${name}`);
  for (const [d, { reason }] of ACCEPTED) t.diagnostic(`accepted: ${d} (${reason})`);
  assert.deepEqual(unexpected, [],
    `prisma/schema.prisma has drifted from the database:\n  ${unexpected.join('\n  ')}\n`
    + 'Update prisma/schema.prisma (and regenerate the client).');
  assert.deepEqual(stale, [], `accepted differences that no longer occur (remove them from lib/drift.mjs ACCEPTED):\n  ${stale.join('\n  ')}`);
});

test('drift: every model of schema.prisma maps to schema dropskills_v2', () => {
  const { models } = dmmfOf(schemaText).datamodel;
  assert.deepEqual(models.filter((m) => m.schema !== 'dropskills_v2').map((m) => m.name), []);
  assert.equal(models.length, dbShape.tables.size);
});

test('drift: a doctored schema.prisma is reported (proof the check can fail)', () => {
  const cases = [
    // a column renamed on one side
    [doctor('fullName           String?   @map("full_name")', 'fullName           String?   @map("fullname")'),
      ['users.full_name: column has no Prisma field', 'users.fullname: Prisma field has no column']],
    // nullability
    [doctor('  title          String?\n  url ', '  title          String\n  url '),
      ['samples.title: nullable in the database, required in Prisma']],
    // a type
    [doctor('price          Decimal?  @db.Decimal(10, 2)', 'price          Decimal?  @db.Decimal(12, 2)'),
      ['packs.price: type is numeric(10,2) in the database, numeric(12,2) in Prisma']],
    // a primary key
    [doctor('@@id([userId, packId])\n  @@index([packId])\n  @@map("favorites")', '@@id([packId, userId])\n  @@index([packId])\n  @@map("favorites")'),
      ['favorites: primary key is (user_id, pack_id) in the database, (pack_id, user_id) in Prisma']],
    // a table name
    [doctor('@@map("trending_ideas")', '@@map("trending_idea")'),
      ['trending_idea: Prisma model has no table', 'trending_ideas: table has no Prisma model']],
    // a foreign key's delete action
    [doctor('onDelete: SetNull, onUpdate: NoAction)\n  author', 'onDelete: Cascade, onUpdate: NoAction)\n  author'),
      ['packs: foreign key (category_id) -> categories (id) ON DELETE Cascade ON UPDATE NoAction is in Prisma only',
        'packs: foreign key (category_id) -> categories (id) ON DELETE SetNull ON UPDATE NoAction is in the database only']],
    // a missing unique key
    [doctor('legacyId       Int?    @unique @map("legacy_id")', 'legacyId       Int?    @map("legacy_id")'),
      ['pack_tags: unique key (legacy_id) is in the database only']],
  ];
  for (const [text, expected] of cases) {
    assert.deepEqual(introduced(diff(text)), expected.sort());
  }
});

test('drift: a doctored database shape is reported (proof the check can fail)', () => {
  const prisma = prismaShape(dmmfOf(schemaText));
  const db = cloneShape(dbShape);
  db.tables.get('users').columns.set('phone', { type: 'text', nullable: true, hasDefault: false });
  db.tables.get('pack_files').columns.delete('file_url');
  db.tables.get('favorites').columns.get('created_at').nullable = false;
  db.tables.get('tags').columns.get('id').type = 'int4';
  db.tables.get('verify_diffs').primaryKey = '(check_name, key)';
  db.tables.get('samples').foreignKeys.clear();
  db.tables.set('payments', { columns: new Map(), primaryKey: null, uniques: new Set(), indexes: new Set(), foreignKeys: new Set() });
  const differences = compareShapes(prisma, db);
  assert.deepEqual(introduced(differences), [
    'favorites.created_at: NOT NULL in the database, optional in Prisma',
    'pack_files.file_url: Prisma field has no column',
    'payments: table has no Prisma model',
    'samples: foreign key (pack_id) -> packs (id) ON DELETE Cascade ON UPDATE NoAction is in Prisma only',
    'tags.id: type is int4 in the database, int8 in Prisma',
    'users.phone: column has no Prisma field',
    'verify_diffs: primary key is (check_name, key) in the database, none in Prisma',
  ]);
  // An accepted difference that stops occurring is reported as stale.
  const fixed = cloneShape(dbShape);
  fixed.tables.get('verify_diffs').uniques.add('(checked_at, check_name, table_name, key)');
  assert.deepEqual(judge(compareShapes(prisma, fixed)).stale,
    ['verify_diffs: unique key (checked_at, check_name, table_name, key) is in Prisma only']);
});
