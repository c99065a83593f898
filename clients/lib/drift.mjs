// Drift between the Prisma schema (prisma/schema.prisma) and schema dropskills_v2
// of a live database. Both sides are reduced to one plain "shape" (tables,
// columns with type, nullability and default, primary key, unique keys, indexes,
// foreign keys), then compared; every difference is one readable line.
//
// The Prisma side comes from the full DMMF computed by Prisma's own schema
// parser (@prisma/prisma-schema-wasm, the WebAssembly build the CLI uses), the
// database side from information_schema and pg_catalog.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const schemaWasm = require('@prisma/prisma-schema-wasm');

export const SCHEMA_PATH = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
export const TARGET = 'dropskills_v2';

// Differences that are known, explained in schema.prisma, and accepted.
// `always`: it must occur (it comes from schema.prisma itself); when it no
// longer does, the drift test asks to remove it here and in schema.prisma.
export const ACCEPTED = new Map([
  ['verify_diffs: unique key (checked_at, check_name, table_name, key) is in Prisma only',
    { always: true, reason: 'Prisma requires an identifier; the SQL table has no key' }],
  // Only where auth.users exists (Supabase): dskv2_add_constraints adds it then.
  ['users: foreign key (id) -> auth.users (id) ON DELETE Cascade ON UPDATE NoAction is in the database only',
    { always: false, reason: 'schema auth (Supabase) is not part of this client' }],
]);

/** The full DMMF of a Prisma schema text (throws with Prisma's message when invalid). */
export function dmmfOf(schemaText) {
  return JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schemaText]] })));
}

export function readSchema(path = SCHEMA_PATH) {
  return readFileSync(path, 'utf8');
}

// Prisma scalar + @db native type -> the PostgreSQL type information_schema
// reports (udt_name, with precision/scale where they matter).
function prismaType(field) {
  const [native, args = []] = field.nativeType ?? [];
  let t;
  switch (field.type) {
    case 'String':
      t = native === 'Uuid' ? 'uuid' : native === 'VarChar' ? `varchar(${args[0] ?? ''})`
        : native === 'Char' ? `bpchar(${args[0] ?? ''})` : native === 'Citext' ? 'citext' : 'text';
      break;
    case 'Int': t = native === 'SmallInt' ? 'int2' : native === 'Oid' ? 'oid' : 'int4'; break;
    case 'BigInt': t = 'int8'; break;
    case 'Boolean': t = 'bool'; break;
    case 'Float': t = native === 'Real' ? 'float4' : 'float8'; break;
    case 'Decimal':
      t = native === 'Money' ? 'money'
        : native === 'Decimal' ? (args.length ? `numeric(${args.join(',')})` : 'numeric')
        : 'numeric(65,30)';
      break;
    case 'DateTime': {
      const kind = { Timestamptz: 'timestamptz', Timestamp: 'timestamp', Date: 'date', Time: 'time', Timetz: 'timetz' }[native] ?? 'timestamp';
      const precision = native ? args[0] : '3';
      t = kind === 'date' ? 'date' : `${kind}(${precision ?? 6})`;
      break;
    }
    case 'Json': t = native === 'Json' ? 'json' : 'jsonb'; break;
    case 'Bytes': t = 'bytea'; break;
    default: t = `enum ${field.type}`;
  }
  return field.isList ? `${t}[]` : t;
}

const ON_ACTION = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

/** The shape of the Prisma schema, tables and columns named as in the database. */
export function prismaShape(dmmf) {
  const { models, indexes = [] } = dmmf.datamodel;
  const byName = new Map(models.map((m) => [m.name, m]));
  const tableOf = (m) => m.dbName ?? m.name;
  const columnOf = (m, fieldName) => {
    const f = m.fields.find((x) => x.name === fieldName);
    return f ? (f.dbName ?? f.name) : `?${fieldName}`;
  };
  const shape = { tables: new Map(), outside: [] };
  for (const m of models) {
    if (m.schema && m.schema !== TARGET) { shape.outside.push(`${m.schema}.${tableOf(m)}`); continue; }
    const t = { columns: new Map(), primaryKey: null, uniques: new Set(), indexes: new Set(), foreignKeys: new Set() };
    for (const f of m.fields) {
      if (f.kind === 'object') {
        if (f.relationFromFields?.length) {
          const target = byName.get(f.type);
          // Prisma's defaults when a relation says nothing: SetNull (optional) or
          // Restrict (required) on delete, Cascade on update.
          const onDelete = f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull');
          const onUpdate = f.relationOnUpdate ?? 'Cascade';
          t.foreignKeys.add(`(${f.relationFromFields.map((c) => columnOf(m, c)).join(', ')}) -> `
            + `${tableOf(target)} (${f.relationToFields.map((c) => columnOf(target, c)).join(', ')}) `
            + `ON DELETE ${onDelete} ON UPDATE ${onUpdate}`);
        }
        continue;
      }
      if (f.kind === 'unsupported') continue;
      t.columns.set(f.dbName ?? f.name, {
        type: prismaType(f),
        nullable: !f.isRequired,
        hasDefault: f.hasDefaultValue || f.isUpdatedAt,
      });
    }
    shape.tables.set(tableOf(m), t);
  }
  for (const ix of indexes) {
    const m = byName.get(ix.model);
    const t = shape.tables.get(tableOf(m));
    if (!t) continue;
    const cols = ix.fields.map((f) => columnOf(m, f.name)).join(', ');
    if (ix.type === 'id') t.primaryKey = `(${cols})`;
    else if (ix.type === 'unique') t.uniques.add(`(${cols})`);
    else t.indexes.add(`(${cols})`);
  }
  return shape;
}

/** The shape of schema TARGET in the database that `client` (pg) is connected to. */
export async function databaseShape(client, schema = TARGET) {
  const shape = { tables: new Map(), outside: [], notRepresentable: [] };
  const tables = await client.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`, [schema]);
  for (const { table_name } of tables.rows) {
    shape.tables.set(table_name, { columns: new Map(), primaryKey: null, uniques: new Set(), indexes: new Set(), foreignKeys: new Set() });
  }
  const columns = await client.query(
    `SELECT table_name, column_name, is_nullable = 'YES' AS nullable, data_type, udt_name,
            character_maximum_length, numeric_precision, numeric_scale, datetime_precision,
            column_default IS NOT NULL OR is_identity = 'YES' OR is_generated = 'ALWAYS' AS has_default
       FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`, [schema]);
  for (const c of columns.rows) {
    const t = shape.tables.get(c.table_name);
    if (!t) continue; // a view
    const array = c.data_type === 'ARRAY';
    let type = array ? c.udt_name.slice(1) : c.udt_name;
    if (type === 'numeric' && !array) type = c.numeric_precision == null ? 'numeric' : `numeric(${c.numeric_precision},${c.numeric_scale})`;
    if (['timestamptz', 'timestamp', 'time', 'timetz'].includes(type) && !array) type = `${type}(${c.datetime_precision})`;
    if (['varchar', 'bpchar'].includes(type) && !array) type = `${type}(${c.character_maximum_length ?? ''})`;
    if (array && ['timestamptz', 'timestamp'].includes(type)) type = `${type}(6)`;
    t.columns.set(c.column_name, { type: array ? `${type}[]` : type, nullable: c.nullable, hasDefault: c.has_default });
  }
  // Primary keys, from information_schema in key order.
  const pks = await client.query(
    `SELECT tc.table_name, string_agg(k.column_name::text, ', ' ORDER BY k.ordinal_position) AS cols
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage k
         ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
        AND k.table_name = tc.table_name
      WHERE tc.table_schema = $1 AND tc.constraint_type = 'PRIMARY KEY'
      GROUP BY tc.table_name, tc.constraint_name`, [schema]);
  for (const r of pks.rows) shape.tables.get(r.table_name).primaryKey = `(${r.cols})`;
  // Unique keys and plain indexes: every index on columns (UNIQUE constraints
  // and CREATE UNIQUE INDEX alike). Expression and partial indexes have no
  // Prisma form: listed apart.
  const idx = await client.query(
    `SELECT c.relname AS table_name, i.relname AS index_name, x.indisunique AS is_unique,
            x.indexprs IS NOT NULL OR x.indpred IS NOT NULL AS not_representable,
            (SELECT string_agg(a.attname::text, ', ' ORDER BY k.ord)
               FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum) AS cols
       FROM pg_index x
       JOIN pg_class c ON c.oid = x.indrelid
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT x.indisprimary`, [schema]);
  for (const r of idx.rows) {
    const t = shape.tables.get(r.table_name);
    if (!t) continue;
    if (r.not_representable) { shape.notRepresentable.push(`${r.table_name}: index ${r.index_name}`); continue; }
    (r.is_unique ? t.uniques : t.indexes).add(`(${r.cols})`);
  }
  // Foreign keys (pg_constraint keeps the column order of multi-column keys).
  const fks = await client.query(
    `SELECT c.relname AS table_name, rn.nspname AS ref_schema, r.relname AS ref_table,
            k.confdeltype AS on_delete, k.confupdtype AS on_update,
            (SELECT string_agg(a.attname::text, ', ' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) AS cols,
            (SELECT string_agg(a.attname::text, ', ' ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum) AS ref_cols
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class r ON r.oid = k.confrelid
       JOIN pg_namespace rn ON rn.oid = r.relnamespace
      WHERE k.contype = 'f' AND n.nspname = $1`, [schema]);
  for (const r of fks.rows) {
    const t = shape.tables.get(r.table_name);
    if (!t) continue;
    const ref = r.ref_schema === schema ? r.ref_table : `${r.ref_schema}.${r.ref_table}`;
    t.foreignKeys.add(`(${r.cols}) -> ${ref} (${r.ref_cols}) ON DELETE ${ON_ACTION[r.on_delete]} ON UPDATE ${ON_ACTION[r.on_update]}`);
  }
  return shape;
}

/**
 * Every difference between the Prisma shape and the database shape, one line
 * each, sorted. Empty when they agree.
 */
export function compareShapes(prisma, db) {
  const out = [];
  for (const name of prisma.outside ?? []) out.push(`${name}: model outside schema ${TARGET}`);
  for (const name of db.tables.keys()) if (!prisma.tables.has(name)) out.push(`${name}: table has no Prisma model`);
  for (const name of prisma.tables.keys()) if (!db.tables.has(name)) out.push(`${name}: Prisma model has no table`);
  for (const [name, p] of prisma.tables) {
    const d = db.tables.get(name);
    if (!d) continue;
    for (const col of d.columns.keys()) if (!p.columns.has(col)) out.push(`${name}.${col}: column has no Prisma field`);
    for (const [col, pc] of p.columns) {
      const dc = d.columns.get(col);
      if (!dc) { out.push(`${name}.${col}: Prisma field has no column`); continue; }
      if (pc.type !== dc.type) out.push(`${name}.${col}: type is ${dc.type} in the database, ${pc.type} in Prisma`);
      if (pc.nullable !== dc.nullable) {
        out.push(`${name}.${col}: ${dc.nullable ? 'nullable' : 'NOT NULL'} in the database, ${pc.nullable ? 'optional' : 'required'} in Prisma`);
      }
      if (pc.hasDefault !== dc.hasDefault) {
        out.push(`${name}.${col}: ${dc.hasDefault ? 'has a default' : 'has no default'} in the database, ${pc.hasDefault ? 'has @default' : 'has no @default'} in Prisma`);
      }
    }
    if (p.primaryKey !== d.primaryKey) {
      out.push(`${name}: primary key is ${d.primaryKey ?? 'none'} in the database, ${p.primaryKey ?? 'none'} in Prisma`);
    }
    for (const [what, key] of [['unique key', 'uniques'], ['index', 'indexes'], ['foreign key', 'foreignKeys']]) {
      for (const k of d[key]) if (!p[key].has(k)) out.push(`${name}: ${what} ${k} is in the database only`);
      for (const k of p[key]) if (!d[key].has(k)) out.push(`${name}: ${what} ${k} is in Prisma only`);
    }
  }
  return out.sort();
}

/** The unexpected differences, and the accepted ones marked `always` that no longer occur. */
export function judge(differences, accepted = ACCEPTED) {
  const unexpected = differences.filter((d) => !accepted.has(d));
  const stale = [...accepted].filter(([d, a]) => a.always && !differences.includes(d)).map(([d]) => d);
  return { unexpected, stale };
}
