// The mapping rules of every legacy table (docs/mapping.md), as templates of
// their mapped rows: the V2 columns, the reject reason in priority order, the
// warning flag and the processing order. A catalogue file: with catalog.cpp,
// the one place that names tables (docs/architecture.md, "The catalogue").
//
// Templates use @{...} placeholders (never plain braces inside one: SQL has
// '{}' jsonb, and the parser refuses a brace in a placeholder's argument):
//   @{src} @{tgt} @{ext}       quoted source, target and extension schemas
//   @{c:alias.column}          a legacy column, or NULL::type when an optional one is missing
//   @{legacy:alias}            the alias's unknown columns as jsonb (NULL when none), but
//   @{secrets:alias}           those with a secret-like name, which go to legacy_secrets
//   @{redacted:alias}          to_jsonb(alias), secret-like unknown columns "[redacted]"
//   @{rows:table:key}          the row-set predicate (pending, one batch, quarantined)
//   @{parent:table:key}        the parent exists (in V2, or predicted by the dry run)
//   @{key}                     the key in `done` (typed) and `row_data` (text) templates
//   @{window:sql} @{orphans:sql}  a rule comparing rows of the set with each other, rows
//                              that never reach V2: false / nothing for live sync's one-key fast paths
//   @{v2exists:sql} @{v2value:sql}  sql reading V2 tables, or false / NULL when the
//                              target schema does not exist yet (a dry run); v2exists is
//                              also false when every legacy row is evaluated (kAll)
#include "core/mapping.hpp"

#include "core/errors.hpp"

#include <utility>

namespace dskv2::core {
namespace {

constexpr std::string_view kUsersMapped = R"SQL(
SELECT x._source, x._key,
       CASE WHEN x._orphan THEN 'orphan_user'
            WHEN x.email IS NOT NULL
                 AND (@{v2exists:EXISTS (SELECT 1 FROM @{tgt}.users dv WHERE lower(dv.email) = x.email AND dv.id <> x.id)}
                      OR @{window:count(*) FILTER (WHERE x._deleted_at IS NULL) OVER w > 0}) THEN 'duplicate_email'
            WHEN x._deleted_at IS NOT NULL THEN 'deleted_user'
       END AS _reason,
       x._warn, x._o1, x._o2,
       x.id, x.email, x.full_name, x.avatar_url, x.role, x.subscription_status, x.stripe_customer_id,
       x.created_at, x.updated_at, x.legacy, x.deleted_at, x._secrets
FROM (
    SELECT 'auth.users'::text AS _source, a.id::text AS _key, false AS _orphan,
           @{c:a.deleted_at} AS _deleted_at,
           (@{c:p.role} IS NOT NULL AND lower(btrim(@{c:p.role}, E' \t\r\n\f')) NOT IN ('user', 'premium', 'admin')) AS _warn,
           @{c:a.created_at} AS _o1, a.id AS _o2,
           a.id,
           NULLIF(lower(btrim(a.email::text, E' \t\r\n\f')), '') AS email,
           COALESCE(@{c:p.full_name}, @{c:a.raw_user_meta_data} ->> 'full_name') AS full_name,
           @{c:p.avatar_url} AS avatar_url,
           CASE WHEN lower(btrim(@{c:p.role}, E' \t\r\n\f')) IN ('user', 'premium', 'admin') THEN lower(btrim(@{c:p.role}, E' \t\r\n\f'))
                ELSE 'user' END AS role,
           @{c:p.subscription_status} AS subscription_status,
           @{c:p.stripe_customer_id} AS stripe_customer_id,
           @{c:a.created_at} AS created_at,
           COALESCE(@{c:p.updated_at}, @{c:a.updated_at}) AS updated_at,
           NULLIF(COALESCE(@{legacy:p}, '{}'::jsonb)
                  || CASE WHEN @{c:p.role} IS NOT NULL AND lower(btrim(@{c:p.role}, E' \t\r\n\f')) NOT IN ('user', 'premium', 'admin')
                          THEN jsonb_build_object('role', @{c:p.role}) ELSE '{}'::jsonb END,
                  '{}'::jsonb) AS legacy,
           @{c:a.deleted_at} AS deleted_at, @{secrets:p} AS _secrets
    FROM auth.users a LEFT JOIN @{src}.profiles p ON p.id = a.id
    WHERE @{rows:auth.users:a.id}
    @{orphans:UNION ALL
    SELECT 'auth.users'::text, p.id::text, true, NULL::timestamptz, false, @{c:p.created_at}, p.id,
           p.id, NULL::text, NULL::text, NULL::text, 'user'::text, NULL::text, NULL::text,
           @{c:p.created_at}, NULL::timestamptz, NULL::jsonb, NULL::timestamptz, NULL::jsonb
    FROM @{src}.profiles p
    WHERE NOT EXISTS (SELECT 1 FROM auth.users oa WHERE oa.id = p.id) AND @{rows:auth.users:p.id}}
) x
WINDOW w AS (PARTITION BY x.email COLLATE "C" ORDER BY x._o1 NULLS LAST, x._o2 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)SQL";

// Only the columns of docs/mapping.md, "What is read from auth.users", are ever read from auth.users: no password
// hash or token reaches V2, the quarantine or a log.
constexpr std::string_view kUsersRowData = R"SQL(
(SELECT jsonb_build_object('id', a.id, 'email', a.email, 'raw_user_meta_data', @{c:a.raw_user_meta_data},
                           'created_at', @{c:a.created_at}, 'updated_at', @{c:a.updated_at},
                           'last_sign_in_at', @{c:a.last_sign_in_at}, 'deleted_at', @{c:a.deleted_at},
                           'profile', (SELECT @{redacted:p} FROM @{src}.profiles p WHERE p.id = a.id))
   FROM auth.users a WHERE a.id = (@{key})::uuid
 UNION ALL
 SELECT jsonb_build_object('id', p.id, 'profile', @{redacted:p}) FROM @{src}.profiles p
  WHERE p.id = (@{key})::uuid AND NOT EXISTS (SELECT 1 FROM auth.users oa WHERE oa.id = p.id)
 LIMIT 1)
)SQL";

constexpr std::string_view kCategoriesMapped = R"SQL(
SELECT 'categories'::text AS _source, s.id::text AS _key, NULL::text AS _reason, false AS _warn,
       @{c:s.created_at} AS _o1, s.id AS _o2,
       @{ext}.dskv2_slugify(s.name) AS _slug_base,
       s.id, s.name, @{c:s.description} AS description, @{c:s.icon} AS icon,
       @{c:s.created_at} AS created_at, @{legacy:s} AS legacy, @{secrets:s} AS _secrets
FROM @{src}.categories s
WHERE @{rows:categories:s.id}
)SQL";

constexpr std::string_view kProductsMapped = R"SQL(
SELECT 'products'::text AS _source, s.id::text AS _key,
       CASE WHEN @{c:s.price} < 0 THEN 'negative_price' END AS _reason,
       (@{c:s.created_by} IS NOT NULL AND NOT @{parent:auth.users:@{c:s.created_by}})
         OR (@{c:s.category_id} IS NOT NULL AND NOT @{parent:categories:@{c:s.category_id}}) AS _warn,
       @{c:s.created_at} AS _o1, s.id AS _o2,
       @{ext}.dskv2_slugify(s.title) AS _slug_base,
       s.id, s.title, @{c:s.description} AS description, @{c:s.price} AS price,
       CASE WHEN @{parent:categories:@{c:s.category_id}} THEN @{c:s.category_id} END AS category_id,
       @{c:s.thumbnail_url} AS cover_url, @{c:s.file_url} AS file_url, @{c:s.format} AS format,
       @{c:s.language} AS language, COALESCE(@{c:s.is_premium}, false) AS is_premium,
       CASE WHEN @{c:s.is_published} THEN 'published' ELSE 'draft' END AS status,
       CASE WHEN @{parent:auth.users:@{c:s.created_by}} THEN @{c:s.created_by} END AS author_id,
       @{c:s.created_at} AS created_at, @{c:s.updated_at} AS updated_at, @{legacy:s} AS legacy,
       @{secrets:s} AS _secrets
FROM @{src}.products s
WHERE @{rows:products:s.id}
)SQL";

constexpr std::string_view kSamplesMapped = R"SQL(
SELECT 'samples'::text AS _source, s.id::text AS _key,
       CASE WHEN s.product_id IS NULL OR NOT @{parent:products:s.product_id} THEN 'orphan_pack' END AS _reason,
       false AS _warn, @{c:s.created_at} AS _o1, s.id AS _o2,
       s.id, s.product_id AS pack_id, @{c:s.title} AS title, s.file_url AS url,
       @{ext}.dskv2_detect_sample_type(s.file_url, @{c:s.file_type}) AS type,
       @{c:s.created_at} AS created_at, @{legacy:s} AS legacy, @{secrets:s} AS _secrets
FROM @{src}.samples s
WHERE @{rows:samples:s.id}
)SQL";

// Tags have no created_at in the legacy schema: processing order is by id.
constexpr std::string_view kTagsMapped = R"SQL(
SELECT 'tags'::text AS _source, s.id::text AS _key,
       CASE WHEN s.product_id IS NULL OR NOT @{parent:products:s.product_id} THEN 'orphan_pack'
            WHEN @{ext}.dskv2_slugify(s.name) = '' THEN 'empty_tag' END AS _reason,
       false AS _warn, NULL::timestamptz AS _o1, s.id AS _o2,
       @{ext}.dskv2_slugify(s.name) AS _slug_base, btrim(s.name) AS _name,
       s.product_id AS pack_id, @{legacy:s} AS legacy, @{secrets:s} AS _secrets
FROM @{src}.tags s
WHERE @{rows:tags:s.id}
)SQL";

constexpr std::string_view kFavoritesMapped = R"SQL(
SELECT 'favorites'::text AS _source, s.id::text AS _key,
       CASE WHEN s.user_id IS NULL OR NOT @{parent:auth.users:s.user_id} THEN 'orphan_user'
            WHEN s.product_id IS NULL OR NOT @{parent:products:s.product_id} THEN 'orphan_pack' END AS _reason,
       false AS _warn, @{c:s.created_at} AS _o1, s.id AS _o2,
       s.user_id, s.product_id AS pack_id, @{c:s.created_at} AS created_at, @{legacy:s} AS legacy,
       @{secrets:s} AS _secrets
FROM @{src}.favorites s
WHERE @{rows:favorites:s.id}
)SQL";

// product_stats has no created_at: processing order is by product_id.
constexpr std::string_view kProductStatsMapped = R"SQL(
SELECT 'product_stats'::text AS _source, s.product_id::text AS _key,
       CASE WHEN NOT @{parent:products:s.product_id} THEN 'orphan_pack' END AS _reason,
       COALESCE(@{c:s.views} < 0 OR @{c:s.downloads} < 0 OR @{c:s.favorites_count} < 0, false) AS _warn,
       NULL::timestamptz AS _o1, s.product_id AS _o2,
       s.product_id AS pack_id,
       GREATEST(COALESCE(@{c:s.views}, 0), 0)::bigint AS views,
       GREATEST(COALESCE(@{c:s.downloads}, 0), 0)::bigint AS downloads,
       GREATEST(COALESCE(@{c:s.favorites_count}, 0), 0)::bigint AS favorites_count,
       @{c:s.last_viewed_at} AS last_viewed_at, @{c:s.updated_at} AS updated_at, @{legacy:s} AS legacy,
       @{secrets:s} AS _secrets
FROM @{src}.product_stats s
WHERE @{rows:product_stats:s.product_id}
)SQL";

constexpr std::string_view kTrendingIdeasMapped = R"SQL(
SELECT 'trending_ideas'::text AS _source, s.id::text AS _key, NULL::text AS _reason, false AS _warn,
       @{c:s.created_at} AS _o1, s.id AS _o2,
       @{ext}.dskv2_slugify(s.title) AS _slug_base,
       s.id, s.title, @{c:s.description} AS description,
       @{v2value:(SELECT c.id FROM @{tgt}.categories c WHERE c.slug = @{ext}.dskv2_slugify(@{c:s.category}) ORDER BY c.id LIMIT 1)}::integer AS category_id,
       @{c:s.category} AS category_label, @{c:s.score} AS score, @{c:s.source} AS source,
       @{c:s.metadata} AS data, @{c:s.created_at} AS created_at, @{legacy:s} AS legacy, @{secrets:s} AS _secrets
FROM @{src}.trending_ideas s
WHERE @{rows:trending_ideas:s.id}
)SQL";

// details: the legacy object (a non-object value is kept under
// "legacy_details"), with the ip_address column added as a key when present.
// When details already holds a different ip_address, that one stays and the
// column's value is kept in legacy.ip_address: nothing is overwritten.
constexpr std::string_view kAdminLogsMapped = R"SQL(
SELECT 'admin_logs'::text AS _source, s.id::text AS _key, NULL::text AS _reason, false AS _warn,
       @{c:s.created_at} AS _o1, s.id AS _o2,
       s.id, @{c:s.admin_id} AS actor_id, s.action, @{c:s.target_type} AS table_name,
       @{c:s.target_id} AS record_id,
       CASE WHEN @{c:s.details} IS NULL THEN '{}'::jsonb
            WHEN jsonb_typeof(@{c:s.details}) = 'object' THEN @{c:s.details}
            ELSE jsonb_build_object('legacy_details', @{c:s.details}) END
         || CASE WHEN @{c:s.ip_address} IS NOT NULL AND NOT COALESCE(@{c:s.details} ? 'ip_address', false)
                 THEN jsonb_build_object('ip_address', @{c:s.ip_address}) ELSE '{}'::jsonb END AS details,
       'legacy'::text AS source, @{c:s.created_at} AS created_at,
       NULLIF(COALESCE(@{legacy:s}, '{}'::jsonb)
              || CASE WHEN @{c:s.ip_address} IS NOT NULL AND COALESCE(@{c:s.details} ? 'ip_address', false)
                           AND (@{c:s.details} ->> 'ip_address') IS DISTINCT FROM @{c:s.ip_address}
                      THEN jsonb_build_object('ip_address', @{c:s.ip_address}) ELSE '{}'::jsonb END,
              '{}'::jsonb) AS legacy, @{secrets:s} AS _secrets
FROM @{src}.admin_logs s
WHERE @{rows:admin_logs:s.id}
)SQL";

// The quarantined row of a one-relation mapping: the whole legacy row.
constexpr std::string_view kWholeRow =
    "(SELECT @{redacted:s} FROM @{src}.@{table} s WHERE s.@{keycol} = (@{key})::@{keytype})";

TableMapping Make(std::string_view name, std::string_view target, std::string_view target_key,
                  std::vector<RelationSpec> relations, Merge merge, std::string_view mapped, std::string_view done,
                  std::string_view row_data = {}, std::string_view plan_note = {}) {
    TableMapping m;
    m.name = name;
    m.target = target;
    m.target_key = target_key;
    m.relations = std::move(relations);
    m.merge = merge;
    m.mapped = mapped;
    m.done = done;
    m.row_data = row_data.empty() ? kWholeRow : row_data;
    m.plan_note = plan_note;
    m.primary = FindLegacyTable(m.relations.front().table);
    m.table = FindV2Table(target);
    if (m.primary == nullptr || m.table == nullptr) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(name) + ": not in the catalogue");
    }
    m.key_type = m.primary->Column(m.primary->key)->type;
    for (const Edge& e : Edges()) {
        if (e.child == name && e.must_migrate_first) m.parents.push_back(e.parent);
    }
    return m;
}

std::vector<TableMapping> BuildMappings() {
    std::vector<TableMapping> all;
    all.push_back(Make("auth.users", "users", "id", {{"a", "auth.users"}, {"p", "profiles"}}, Merge::kNone,
                       kUsersMapped, "EXISTS (SELECT 1 FROM @{tgt}.users v WHERE v.id = @{key})", kUsersRowData,
                       "counts include profiles without an auth user"));
    all.push_back(Make("categories", "categories", "id", {{"s", "categories"}}, Merge::kNone, kCategoriesMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.categories v WHERE v.id = @{key})"));
    all.push_back(Make("products", "packs", "id", {{"s", "products"}}, Merge::kNone, kProductsMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.packs v WHERE v.id = @{key})"));
    all.push_back(Make("samples", "samples", "id", {{"s", "samples"}}, Merge::kNone, kSamplesMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.samples v WHERE v.id = @{key})"));
    all.push_back(Make("tags", "pack_tags", "legacy_id", {{"s", "tags"}}, Merge::kBySlug, kTagsMapped,
                       "(EXISTS (SELECT 1 FROM @{tgt}.pack_tags v WHERE v.legacy_id = @{key}) OR EXISTS (SELECT 1 "
                       "FROM @{tgt}.migration_merges mm WHERE mm.source_table = 'tags' AND mm.source_key = "
                       "(@{key})::text))"));
    all.push_back(Make("favorites", "favorites", "legacy_id", {{"s", "favorites"}}, Merge::kByPair, kFavoritesMapped,
                       "(EXISTS (SELECT 1 FROM @{tgt}.favorites v WHERE v.legacy_id = @{key}) OR EXISTS (SELECT 1 "
                       "FROM @{tgt}.migration_merges mm WHERE mm.source_table = 'favorites' AND mm.source_key = "
                       "(@{key})::text))"));
    all.push_back(Make("product_stats", "pack_stats", "pack_id", {{"s", "product_stats"}}, Merge::kNone,
                       kProductStatsMapped, "EXISTS (SELECT 1 FROM @{tgt}.pack_stats v WHERE v.pack_id = @{key})"));
    all.push_back(Make("trending_ideas", "trending_ideas", "id", {{"s", "trending_ideas"}}, Merge::kNone,
                       kTrendingIdeasMapped, "EXISTS (SELECT 1 FROM @{tgt}.trending_ideas v WHERE v.id = @{key})"));
    all.push_back(Make("admin_logs", "admin_logs", "id", {{"s", "admin_logs"}}, Merge::kNone, kAdminLogsMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.admin_logs v WHERE v.id = @{key})"));
    return all;
}

}  // namespace

const std::vector<TableMapping>& Mappings() {
    static const std::vector<TableMapping> all = BuildMappings();
    return all;
}

const TableMapping* FindMapping(std::string_view name) {
    for (const TableMapping& m : Mappings()) {
        if (m.name == name) return &m;
    }
    return nullptr;
}

namespace {

void CopyName(char (&out)[64], std::string_view name) {
    const std::size_t n = name.size() < sizeof(out) - 1 ? name.size() : sizeof(out) - 1;
    name.copy(out, n);
    out[n] = '\0';
}

// The legacy column a V2 column comes from: "favorites.user_id" -> "user_id".
std::string_view HomeColumn(const V2Table& t, std::string_view column) {
    const V2Column* c = t.Column(column);
    if (c == nullptr) return {};
    const std::size_t dot = c->legacy_home.rfind('.');
    return dot == std::string_view::npos ? std::string_view{} : c->legacy_home.substr(dot + 1);
}

}  // namespace

bool DescribeLegacyTrigger(LegacySchema schema, const char* name, LegacyTriggerInfo* out) noexcept {
    try {
        const LegacyTable* t = FindLegacyTable(schema, name);
        const TableMapping* m = t == nullptr ? nullptr : FindMapping(t->mapping);
        if (m == nullptr) return false;
        const bool by_pair = m->merge == Merge::kByPair;
        CopyName(out->mapping, m->name);
        CopyName(out->target, m->target);
        CopyName(out->key, t->key);
        out->merging = m->merge != Merge::kNone;
        CopyName(out->pair_a, by_pair ? HomeColumn(*m->table, m->table->pair.a) : std::string_view{});
        CopyName(out->pair_b, by_pair ? HomeColumn(*m->table, m->table->pair.b) : std::string_view{});
        out->primary = m->primary == t;
        out->sign_ups = t->schema == LegacySchema::kAuth && t->auth_path;
        out->has_orphans = false;
        for (const Edge& e : Edges()) out->has_orphans = out->has_orphans || (e.rejects_orphans && e.parent == m->name);
        out->nrelations = 0;
        for (const RelationSpec& r : m->relations) {
            const LegacyTable* rel = FindLegacyTable(r.table);
            if (rel == nullptr || out->nrelations == 2) return false;
            out->relations[out->nrelations].auth = rel->schema == LegacySchema::kAuth;
            CopyName(out->relations[out->nrelations].name, rel->name);
            ++out->nrelations;
        }
        return true;
    } catch (...) {
        return false;
    }
}

}  // namespace dskv2::core
