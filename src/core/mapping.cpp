// The V1 -> V2 mapping of SPEC §4 as data: per legacy table, the relations it
// reads, the SQL of its mapped rows (V2 columns, reject reason in priority
// order, warning flag, processing order), how a quarantined row is recorded,
// and how it is written.
//
// Templates use @{...} placeholders (never plain braces: SQL has '{}' jsonb):
//   @{src} @{tgt} @{ext}       quoted source, target and extension schemas
//   @{c:alias.column}          a legacy column, or NULL::type when an optional one is missing
//   @{legacy:alias}            the alias's unknown columns as jsonb (NULL when none)
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

#include <algorithm>
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
       x.created_at, x.updated_at, x.legacy
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
                  '{}'::jsonb) AS legacy
    FROM auth.users a LEFT JOIN @{src}.profiles p ON p.id = a.id
    WHERE @{rows:auth.users:a.id}
    @{orphans:UNION ALL
    SELECT 'auth.users'::text, p.id::text, true, NULL::timestamptz, false, @{c:p.created_at}, p.id,
           p.id, NULL::text, NULL::text, NULL::text, 'user'::text, NULL::text, NULL::text,
           @{c:p.created_at}, NULL::timestamptz, NULL::jsonb
    FROM @{src}.profiles p
    WHERE NOT EXISTS (SELECT 1 FROM auth.users oa WHERE oa.id = p.id) AND @{rows:auth.users:p.id}}
) x
WINDOW w AS (PARTITION BY x.email COLLATE "C" ORDER BY x._o1 NULLS LAST, x._o2 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)SQL";

// Only the columns SPEC §2 lists are ever read from auth.users: no password
// hash or token reaches V2, the quarantine or a log.
constexpr std::string_view kUsersRowData = R"SQL(
(SELECT jsonb_build_object('id', a.id, 'email', a.email, 'raw_user_meta_data', @{c:a.raw_user_meta_data},
                           'created_at', @{c:a.created_at}, 'updated_at', @{c:a.updated_at},
                           'last_sign_in_at', @{c:a.last_sign_in_at}, 'deleted_at', @{c:a.deleted_at},
                           'profile', (SELECT to_jsonb(p) FROM @{src}.profiles p WHERE p.id = a.id))
   FROM auth.users a WHERE a.id = (@{key})::uuid
 UNION ALL
 SELECT jsonb_build_object('id', p.id, 'profile', to_jsonb(p)) FROM @{src}.profiles p
  WHERE p.id = (@{key})::uuid AND NOT EXISTS (SELECT 1 FROM auth.users oa WHERE oa.id = p.id)
 LIMIT 1)
)SQL";

constexpr std::string_view kCategoriesMapped = R"SQL(
SELECT 'categories'::text AS _source, s.id::text AS _key, NULL::text AS _reason, false AS _warn,
       @{c:s.created_at} AS _o1, s.id AS _o2,
       @{ext}.dskv2_slugify(s.name) AS _slug_base,
       s.id, s.name, @{c:s.description} AS description, @{c:s.icon} AS icon,
       @{c:s.created_at} AS created_at, @{legacy:s} AS legacy
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
       @{c:s.created_at} AS created_at, @{c:s.updated_at} AS updated_at, @{legacy:s} AS legacy
FROM @{src}.products s
WHERE @{rows:products:s.id}
)SQL";

constexpr std::string_view kSamplesMapped = R"SQL(
SELECT 'samples'::text AS _source, s.id::text AS _key,
       CASE WHEN s.product_id IS NULL OR NOT @{parent:products:s.product_id} THEN 'orphan_pack' END AS _reason,
       false AS _warn, @{c:s.created_at} AS _o1, s.id AS _o2,
       s.id, s.product_id AS pack_id, @{c:s.title} AS title, s.file_url AS url,
       @{ext}.dskv2_detect_sample_type(s.file_url, @{c:s.file_type}) AS type,
       @{c:s.created_at} AS created_at, @{legacy:s} AS legacy
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
       s.product_id AS pack_id, @{legacy:s} AS legacy
FROM @{src}.tags s
WHERE @{rows:tags:s.id}
)SQL";

constexpr std::string_view kFavoritesMapped = R"SQL(
SELECT 'favorites'::text AS _source, s.id::text AS _key,
       CASE WHEN s.user_id IS NULL OR NOT @{parent:auth.users:s.user_id} THEN 'orphan_user'
            WHEN s.product_id IS NULL OR NOT @{parent:products:s.product_id} THEN 'orphan_pack' END AS _reason,
       false AS _warn, @{c:s.created_at} AS _o1, s.id AS _o2,
       s.user_id, s.product_id AS pack_id, @{c:s.created_at} AS created_at, @{legacy:s} AS legacy
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
       @{c:s.last_viewed_at} AS last_viewed_at, @{c:s.updated_at} AS updated_at, @{legacy:s} AS legacy
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
       @{c:s.metadata} AS data, @{c:s.created_at} AS created_at, @{legacy:s} AS legacy
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
              '{}'::jsonb) AS legacy
FROM @{src}.admin_logs s
WHERE @{rows:admin_logs:s.id}
)SQL";

TableMapping Make(std::string_view name, std::string_view target, std::string_view key_type,
                  std::string_view target_key, std::vector<RelationSpec> relations,
                  std::vector<std::string_view> parents, std::string_view mapped,
                  std::string_view done, std::vector<std::string_view> insert_columns,
                  std::string_view slug_column, std::string_view slug_fallback, Writer writer,
                  std::string_view row_data = {}) {
    TableMapping m;
    m.name = name;
    m.target = target;
    m.key_type = key_type;
    m.target_key = target_key;
    m.relations = std::move(relations);
    m.parents = std::move(parents);
    m.mapped = mapped;
    m.done = done;
    m.insert_columns = std::move(insert_columns);
    m.slug_column = slug_column;
    m.slug_fallback = slug_fallback;
    m.writer = writer;
    m.row_data = row_data;
    return m;
}

// A source row as jsonb for the quarantine: the whole legacy row.
std::string_view WholeRow(std::string_view relation) {
    static const std::map<std::string_view, std::string, std::less<>> rows = [] {
        std::map<std::string_view, std::string, std::less<>> r;
        for (std::string_view t : {"categories", "samples", "tags", "favorites", "trending_ideas",
                                   "admin_logs"}) {
            r.emplace(t, "(SELECT to_jsonb(s) FROM @{src}." + std::string(t) +
                             " s WHERE s.id = (@{key})::integer)");
        }
        r.emplace("products",
                  "(SELECT to_jsonb(s) FROM @{src}.products s WHERE s.id = (@{key})::uuid)");
        r.emplace("product_stats",
                  "(SELECT to_jsonb(s) FROM @{src}.product_stats s WHERE s.product_id = "
                  "(@{key})::uuid)");
        return r;
    }();
    return rows.at(relation);
}

std::vector<TableMapping> BuildMappings() {
    using C = ColumnSpec;
    std::vector<TableMapping> all;
    all.push_back(Make(
        "auth.users", "users", "uuid", "id",
        {{"a",
          true,
          "users",
          {C{"id", "uuid", true}, C{"email", "text", true}, C{"raw_user_meta_data", "jsonb", false},
           C{"created_at", "timestamptz", false}, C{"updated_at", "timestamptz", false},
           C{"last_sign_in_at", "timestamptz", false}, C{"deleted_at", "timestamptz", false}},
          false},
         {"p",
          false,
          "profiles",
          {C{"id", "uuid", true}, C{"full_name", "text", false}, C{"avatar_url", "text", false},
           C{"role", "text", false}, C{"subscription_status", "text", false},
           C{"stripe_customer_id", "text", false}, C{"created_at", "timestamptz", false},
           C{"updated_at", "timestamptz", false}},
          true}},
        {}, kUsersMapped, "EXISTS (SELECT 1 FROM @{tgt}.users v WHERE v.id = @{key})",
        {"id", "email", "full_name", "avatar_url", "role", "subscription_status",
         "stripe_customer_id", "created_at", "updated_at", "legacy"},
        "", "", Writer::kInsert, kUsersRowData));
    all.push_back(Make("categories", "categories", "integer", "id",
                       {{"s",
                         false,
                         "categories",
                         {C{"id", "integer", true}, C{"name", "text", true},
                          C{"description", "text", false}, C{"icon", "text", false},
                          C{"created_at", "timestamptz", false}},
                         true}},
                       {}, kCategoriesMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.categories v WHERE v.id = @{key})",
                       {"id", "name", "description", "icon", "created_at", "legacy"}, "slug",
                       "category", Writer::kInsert));
    all.push_back(Make(
        "products", "packs", "uuid", "id",
        {{"s",
          false,
          "products",
          {C{"id", "uuid", true}, C{"title", "text", true}, C{"description", "text", false},
           C{"price", "numeric", false}, C{"category_id", "integer", false},
           C{"thumbnail_url", "text", false}, C{"file_url", "text", false},
           C{"format", "text", false}, C{"language", "text", false},
           C{"is_premium", "boolean", false}, C{"is_published", "boolean", false},
           C{"created_by", "uuid", false}, C{"created_at", "timestamptz", false},
           C{"updated_at", "timestamptz", false}},
          true}},
        {"categories"}, kProductsMapped, "EXISTS (SELECT 1 FROM @{tgt}.packs v WHERE v.id = @{key})",
        {"id", "title", "description", "price", "category_id", "cover_url", "file_url", "format",
         "language", "is_premium", "status", "author_id", "created_at", "updated_at", "legacy"},
        "slug", "pack", Writer::kInsert));
    all.push_back(Make("samples", "samples", "integer", "id",
                       {{"s",
                         false,
                         "samples",
                         {C{"id", "integer", true}, C{"product_id", "uuid", true},
                          C{"title", "text", false}, C{"file_url", "text", true},
                          C{"file_type", "text", false}, C{"created_at", "timestamptz", false}},
                         true}},
                       {"products"}, kSamplesMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.samples v WHERE v.id = @{key})",
                       {"id", "pack_id", "title", "url", "type", "created_at", "legacy"}, "", "",
                       Writer::kInsert));
    all.push_back(Make(
        "tags", "pack_tags", "integer", "legacy_id",
        {{"s",
          false,
          "tags",
          {C{"id", "integer", true}, C{"product_id", "uuid", true}, C{"name", "text", true}},
          true}},
        {"products"}, kTagsMapped,
        "(EXISTS (SELECT 1 FROM @{tgt}.pack_tags v WHERE v.legacy_id = @{key}) OR EXISTS (SELECT 1 "
        "FROM @{tgt}.migration_merges mm WHERE mm.source_table = 'tags' AND mm.source_key = "
        "(@{key})::text))",
        {}, "", "", Writer::kTags));
    all.push_back(Make(
        "favorites", "favorites", "integer", "legacy_id",
        {{"s",
          false,
          "favorites",
          {C{"id", "integer", true}, C{"user_id", "uuid", true}, C{"product_id", "uuid", true},
           C{"created_at", "timestamptz", false}},
          true}},
        {"auth.users", "products"}, kFavoritesMapped,
        "(EXISTS (SELECT 1 FROM @{tgt}.favorites v WHERE v.legacy_id = @{key}) OR EXISTS (SELECT 1 "
        "FROM @{tgt}.migration_merges mm WHERE mm.source_table = 'favorites' AND mm.source_key = "
        "(@{key})::text))",
        {}, "", "", Writer::kFavorites));
    all.push_back(Make("product_stats", "pack_stats", "uuid", "pack_id",
                       {{"s",
                         false,
                         "product_stats",
                         {C{"product_id", "uuid", true}, C{"views", "integer", false},
                          C{"downloads", "integer", false}, C{"favorites_count", "integer", false},
                          C{"last_viewed_at", "timestamptz", false},
                          C{"updated_at", "timestamptz", false}},
                         true}},
                       {"products"}, kProductStatsMapped,
                       "EXISTS (SELECT 1 FROM @{tgt}.pack_stats v WHERE v.pack_id = @{key})",
                       {"pack_id", "views", "downloads", "favorites_count", "last_viewed_at",
                        "updated_at", "legacy"},
                       "", "", Writer::kInsert));
    all.push_back(Make(
        "trending_ideas", "trending_ideas", "integer", "id",
        {{"s",
          false,
          "trending_ideas",
          {C{"id", "integer", true}, C{"title", "text", true}, C{"description", "text", false},
           C{"category", "text", false}, C{"score", "numeric", false}, C{"source", "text", false},
           C{"metadata", "jsonb", false}, C{"created_at", "timestamptz", false}},
          true}},
        {"categories"}, kTrendingIdeasMapped,
        "EXISTS (SELECT 1 FROM @{tgt}.trending_ideas v WHERE v.id = @{key})",
        {"id", "title", "description", "category_id", "category_label", "score", "source", "data",
         "created_at", "legacy"},
        "slug", "idea", Writer::kInsert));
    all.push_back(Make(
        "admin_logs", "admin_logs", "integer", "id",
        {{"s",
          false,
          "admin_logs",
          {C{"id", "integer", true}, C{"admin_id", "uuid", false}, C{"action", "text", true},
           C{"target_type", "text", false}, C{"target_id", "text", false},
           C{"details", "jsonb", false}, C{"ip_address", "text", false},
           C{"created_at", "timestamptz", false}},
          true}},
        {}, kAdminLogsMapped, "EXISTS (SELECT 1 FROM @{tgt}.admin_logs v WHERE v.id = @{key})",
        {"id", "actor_id", "action", "table_name", "record_id", "details", "source", "created_at",
         "legacy"},
        "", "", Writer::kInsert));
    for (TableMapping& m : all) {
        if (m.row_data.empty()) m.row_data = WholeRow(m.relations.front().name);
    }
    return all;
}

std::string QuoteIdent(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string QuoteLiteral(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out.push_back('\'');
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

const std::vector<std::string>* ColumnsOf(const Catalog& catalog, const RelationSpec& relation) {
    auto it = catalog.find(RelationKey(relation));
    return it == catalog.end() ? nullptr : &it->second;
}

bool Has(const std::vector<std::string>& columns, std::string_view name) {
    return std::find(columns.begin(), columns.end(), name) != columns.end();
}

const ColumnSpec* FindColumn(const RelationSpec& relation, std::string_view name) {
    for (const ColumnSpec& c : relation.columns) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

struct Context {
    const TableMapping& mapping;
    const SqlNames& names;
    const Catalog& catalog;
    RowSet rows;
    ParentMode parents;
    std::string key;  // for done / row_data templates
    bool single_key = false;  // live sync's fast paths: the row set is one legacy key
};

std::string Expand(std::string_view text, const Context& ctx);

std::string UnknownColumnsJson(const RelationSpec& relation, const std::vector<std::string>& present) {
    std::vector<std::string> pairs;
    for (const std::string& column : present) {
        if (FindColumn(relation, column) == nullptr) {
            pairs.push_back(QuoteLiteral(column) + ", " + std::string(relation.alias) + "." +
                            QuoteIdent(column));
        }
    }
    if (pairs.empty()) return "NULL::jsonb";
    // jsonb_build_object takes at most 100 arguments: 50 pairs per call.
    std::string out = "NULLIF(jsonb_strip_nulls(";
    for (std::size_t i = 0; i < pairs.size(); i += 50) {
        if (i > 0) out += " || ";
        out += "jsonb_build_object(";
        for (std::size_t j = i; j < pairs.size() && j < i + 50; ++j) {
            if (j > i) out += ", ";
            out += pairs[j];
        }
        out += ")";
    }
    out += "), '{}'::jsonb)";
    return out;
}

const RelationSpec& RelationByAlias(const TableMapping& mapping, std::string_view alias) {
    for (const RelationSpec& r : mapping.relations) {
        if (r.alias == alias) return r;
    }
    throw Error(ErrorCode::kInternal,
                "dskv2 mapping " + std::string(mapping.name) + ": unknown alias " + std::string(alias));
}

std::string ColumnRef(const Context& ctx, std::string_view arg) {
    const std::size_t dot = arg.find('.');
    const std::string_view alias = arg.substr(0, dot);
    const std::string_view column = arg.substr(dot + 1);
    const RelationSpec& relation = RelationByAlias(ctx.mapping, alias);
    const ColumnSpec* spec = FindColumn(relation, column);
    if (spec == nullptr) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(ctx.mapping.name) +
                                              ": column not described: " + std::string(arg));
    }
    const std::vector<std::string>* present = ColumnsOf(ctx.catalog, relation);
    if (present != nullptr && Has(*present, column)) {
        return std::string(alias) + "." + QuoteIdent(column);
    }
    return "NULL::" + std::string(spec->type);
}

std::string RowsPredicate(const Context& ctx, std::string_view source_table, std::string_view key) {
    if (!ctx.names.target_exists) {
        return ctx.rows == RowSet::kPending || ctx.rows == RowSet::kAll ? "true" : "false";
    }
    Context done_ctx = ctx;
    done_ctx.key = "(" + std::string(key) + ")";
    const std::string done = Expand(ctx.mapping.done, done_ctx);
    const std::string quarantined =
        "EXISTS (SELECT 1 FROM " + ctx.names.target +
        ".migration_rejects rq WHERE rq.source_table = " + QuoteLiteral(source_table) +
        " AND rq.source_key = (" + std::string(key) + ")::text)";
    switch (ctx.rows) {
        case RowSet::kPending:
            return "NOT " + done + " AND NOT " + quarantined;
        case RowSet::kKeys:
            // A semi-join on unnest (estimated small) makes the planner probe
            // indexes per key instead of hashing whole tables every batch.
            return "(" + std::string(key) + ") IN (SELECT bk::" + std::string(ctx.mapping.key_type) +
                   " FROM unnest($1::text[]) AS bk) AND NOT " + done + " AND NOT " + quarantined;
        case RowSet::kQuarantined:
            return quarantined + " AND NOT " + done;
        case RowSet::kStaged:
            // Live sync may have written or quarantined the row since it was staged.
            return "NOT " + done + " AND NOT " + quarantined;
        case RowSet::kAll:
            return "true";
        case RowSet::kSync:
            // A few keys, from a trigger: an index scan on the array, nothing to
            // hash; the fast paths' one key: a plain equality (a plain index
            // scan, cheaper to start than a bitmap scan of an array).
            if (ctx.single_key) return "(" + std::string(key) + ") = ($1::text[])[1]::" + std::string(ctx.mapping.key_type);
            return "(" + std::string(key) + ") = ANY ($1::text[]::" + std::string(ctx.mapping.key_type) + "[])";
    }
    return "false";
}

std::string ParentPredicate(const Context& ctx, std::string_view parent_name, std::string_view key) {
    const TableMapping* parent = FindMapping(parent_name);
    if (parent == nullptr) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping: unknown parent " + std::string(parent_name));
    }
    std::string in_target = "EXISTS (SELECT 1 FROM " + ctx.names.target + "." +
                            std::string(parent->target) + " pv WHERE pv." +
                            std::string(parent->target_key) + " = (" + std::string(key) + "))";
    if (!ctx.names.target_exists) in_target = "false";
    if (ctx.parents == ParentMode::kTarget) return in_target;
    Context parent_ctx{*parent, ctx.names, ctx.catalog, RowSet::kPending, ParentMode::kPredicted, {}};
    return "(" + in_target + " OR (" + std::string(key) + ") IN (SELECT pp._key::" +
           std::string(parent->key_type) + " FROM (" + Expand(parent->mapped, parent_ctx) +
           ") pp WHERE pp._reason IS NULL))";
}

std::string Placeholder(std::string_view body, const Context& ctx) {
    if (body == "src") return ctx.names.source;
    if (body == "tgt") return ctx.names.target;
    if (body == "ext") return ctx.names.extension;
    if (body == "key") return ctx.key;
    const std::size_t colon = body.find(':');
    const std::string_view kind = body.substr(0, colon);
    const std::string_view arg = colon == std::string_view::npos ? "" : body.substr(colon + 1);
    if (kind == "c") return ColumnRef(ctx, arg);
    // Evaluating every legacy row at once (verification), the window already
    // sees every older duplicate; the V2 probe only matters for a subset.
    // A rule that compares rows of the set with each other: with one key, one
    // row, there is no other row (users: a key is an auth user or an orphan
    // profile, never both).
    if (kind == "window") return ctx.single_key ? "false" : Expand(arg, ctx);
    // Rows that can never reach V2 (orphan profiles): live sync's fast paths
    // only look for rows that do; the complete statement sees them.
    if (kind == "orphans") return ctx.single_key ? "" : Expand(arg, ctx);
    if (kind == "v2exists") {
        return ctx.names.target_exists && ctx.rows != RowSet::kAll ? Expand(arg, ctx) : "false";
    }
    if (kind == "v2value") return ctx.names.target_exists ? Expand(arg, ctx) : "NULL";
    if (kind == "legacy") {
        const RelationSpec& relation = RelationByAlias(ctx.mapping, arg);
        const std::vector<std::string>* present = ColumnsOf(ctx.catalog, relation);
        if (!relation.unknown_to_legacy || present == nullptr) return "NULL::jsonb";
        return UnknownColumnsJson(relation, *present);
    }
    if (kind == "rows" || kind == "parent") {
        const std::size_t second = arg.find(':');
        const std::string_view name = arg.substr(0, second);
        const std::string key = Expand(arg.substr(second + 1), ctx);
        return kind == "rows" ? RowsPredicate(ctx, name, key) : ParentPredicate(ctx, name, key);
    }
    throw Error(ErrorCode::kInternal, "dskv2 mapping: unknown placeholder @{" + std::string(body) + "}");
}

// Expands @{...} placeholders; arguments may nest placeholders.
std::string Expand(std::string_view text, const Context& ctx) {
    std::string out;
    out.reserve(text.size() * 2);
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find("@{", i);
        if (open == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, open - i));
        std::size_t depth = 1;
        std::size_t j = open + 2;
        while (j < text.size() && depth > 0) {
            if (text.compare(j, 2, "@{") == 0) {
                ++depth;
                j += 2;
            } else {
                if (text[j] == '}') --depth;
                ++j;
            }
        }
        if (depth != 0) throw Error(ErrorCode::kInternal, "dskv2 mapping: unbalanced placeholder");
        out.append(Placeholder(text.substr(open + 2, j - open - 3), ctx));
        i = j;
    }
    return out;
}

std::string Run(std::int64_t run_id) { return std::to_string(run_id) + "::bigint"; }

std::string RejectCte(const Context& ctx, std::int64_t run_id) {
    Context data_ctx = ctx;
    data_ctx.key = "b._key";
    return "rej AS (INSERT INTO " + ctx.names.target +
           ".migration_rejects (source_table, source_key, reason, row_data, run_id)\n"
           "  SELECT b._source, b._key, b._reason, " +
           Expand(ctx.mapping.row_data, data_ctx) + ", " + Run(run_id) +
           " FROM b WHERE b._reason IS NOT NULL\n"
           "  ON CONFLICT (source_table, source_key) DO UPDATE SET reason = EXCLUDED.reason, "
           "row_data = EXCLUDED.row_data, run_id = EXCLUDED.run_id, created_at = EXCLUDED.created_at\n"
           "  RETURNING 1)";
}

// The V2 columns a one-row mapping inserts and their values from the mapped
// rows `x`, the slug claimed last; claim_args: the allocator's trailing
// arguments (lazy, and serialize for live sync).
struct InsertLists {
    std::string columns;
    std::string values;
};

InsertLists InsertColumns(const TableMapping& m, const SqlNames& names, std::string_view claim_args) {
    InsertLists out;
    for (std::string_view c : m.insert_columns) {
        out.columns += std::string(c) + ", ";
        out.values += "x." + std::string(c) + ", ";
    }
    if (!m.slug_column.empty()) {
        out.columns += std::string(m.slug_column) + ", ";
        out.values += names.extension + ".dskv2_claim_slug(" +
                      QuoteLiteral(names.target + "." + std::string(m.target)) + "::regclass, " +
                      QuoteLiteral(m.slug_column) + ", x._slug_base, " + QuoteLiteral(m.slug_fallback) + ", " +
                      std::string(claim_args) + "), ";
    }
    return out;
}

// An in-place update of a one-row mapping's V2 rows `v` from mapped rows
// `<alias>`: the SET list (the key and the slug never change), and the two
// column rows to compare.
struct UpdateLists {
    std::string sets;
    std::string v2_cols;
    std::string mapped_cols;
};

UpdateLists UpdateColumns(const TableMapping& m, const std::string& alias) {
    UpdateLists out;
    for (std::string_view c : m.insert_columns) {
        if (c == m.target_key) continue;
        const std::string sep = out.sets.empty() ? "" : ", ";
        out.sets += sep + std::string(c) + " = " + alias + "." + std::string(c);
        out.v2_cols += sep + "v." + std::string(c);
        out.mapped_cols += sep + alias + "." + std::string(c);
    }
    return out;
}

}  // namespace

std::string RelationKey(const RelationSpec& relation) {
    return relation.in_auth_schema ? "auth." + std::string(relation.name)
                                    : std::string(relation.name);
}

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

std::vector<DriftItem> Drift(const TableMapping& mapping, const Catalog& catalog) {
    std::vector<DriftItem> items;
    for (const RelationSpec& relation : mapping.relations) {
        const std::string key = RelationKey(relation);
        const std::vector<std::string>* present = ColumnsOf(catalog, relation);
        if (present == nullptr) {
            items.push_back({key, "", DriftItem::Kind::kMissingTable});
            continue;
        }
        for (const ColumnSpec& c : relation.columns) {
            if (!Has(*present, c.name)) {
                items.push_back({key, std::string(c.name),
                                 c.required ? DriftItem::Kind::kMissingRequired
                                            : DriftItem::Kind::kMissingOptional});
            }
        }
        if (relation.unknown_to_legacy) {
            for (const std::string& column : *present) {
                if (FindColumn(relation, column) == nullptr) {
                    items.push_back({key, column, DriftItem::Kind::kUnknown});
                }
            }
        }
    }
    return items;
}

void CheckRunnable(const TableMapping& mapping, const Catalog& catalog) {
    for (const DriftItem& item : Drift(mapping, catalog)) {
        if (item.kind == DriftItem::Kind::kMissingTable) {
            throw Error(ErrorCode::kUndefinedTable,
                        "dskv2: legacy table " + item.relation + " does not exist",
                        "The " + std::string(mapping.name) + " mapping reads it.");
        }
        if (item.kind == DriftItem::Kind::kMissingRequired) {
            throw Error(ErrorCode::kUndefinedColumn,
                        "dskv2: required legacy column " + item.relation + "." + item.column +
                            " does not exist",
                        "Nothing was written. Run dskv2_plan() to see every drift.");
        }
    }
}

std::string MappedRowsSql(const TableMapping& mapping, const SqlNames& names,
                          const Catalog& catalog, RowSet rows, ParentMode parents) {
    CheckRunnable(mapping, catalog);
    const Context ctx{mapping, names, catalog, rows, parents, {}};
    return Expand(mapping.mapped, ctx);
}

std::string MigrateSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                       RowSet rows, std::int64_t run_id) {
    const Context ctx{mapping, names, catalog, rows, ParentMode::kTarget, {}};
    const std::string& tgt = names.target;
    const std::string run = Run(run_id);
    std::string rows_sql;
    if (rows == RowSet::kStaged) {
        // The staged rows of this batch that nothing (live sync) migrated since.
        CheckRunnable(mapping, catalog);
        rows_sql = "SELECT st.* FROM pg_temp.dskv2_stage st WHERE st._seq > $1 AND st._seq <= $2 AND " +
                   RowsPredicate(ctx, mapping.name, "st._o2");
    } else {
        rows_sql = MappedRowsSql(mapping, names, catalog, rows, ParentMode::kTarget);
    }
    std::string sql = "WITH b AS MATERIALIZED (" + rows_sql + "),\n" + RejectCte(ctx, run_id) + ",\n";
    // Processing order: the accepted rows sorted, evaluated in that order above
    // the sort (the slug allocator is sequential).
    // Only the slug allocator depends on the order rows are written in; other
    // tables skip the sort.
    const std::string ordered =
        mapping.slug_column.empty()
            ? std::string("(SELECT * FROM b WHERE b._reason IS NULL) x")
            : std::string("(SELECT * FROM b WHERE b._reason IS NULL ORDER BY b._o1 NULLS LAST, b._o2 OFFSET 0) x");
    std::string written = "(SELECT count(*) FROM ins)";
    std::string merged = "0::bigint";
    switch (mapping.writer) {
        case Writer::kInsert: {
            // A batch loads only the slugs its stems can collide with (lazy); a
            // one-transaction run loads the column once. Keys are live sync's:
            // lazy, and serialised per stem.
            const InsertLists ins = InsertColumns(
                mapping, names,
                rows == RowSet::kKeys ? "true, true" : (rows == RowSet::kStaged ? "true" : "false"));
            const std::string& columns = ins.columns;
            const std::string& values = ins.values;
            sql += "ins AS (INSERT INTO " + tgt + "." + std::string(mapping.target) + " (" +
                   columns + "migration_run_id)\n  SELECT " + values + run + " FROM " + ordered +
                   "\n  RETURNING 1)";
            break;
        }
        case Writer::kTags:
            sql += "ok AS MATERIALIZED (SELECT * FROM b WHERE b._reason IS NULL),\n"
                   "nt AS (INSERT INTO " + tgt + ".tags (name, slug, migration_run_id)\n"
                   // New tags get their ids in processing order, so batched and
                   // one-transaction runs number them alike.
                   "  SELECT d._name, d._slug_base, " + run + " FROM (SELECT DISTINCT ON (ok._slug_base COLLATE \"C\") "
                   "ok._name, ok._slug_base, ok._o1, ok._o2 FROM ok ORDER BY ok._slug_base COLLATE \"C\", ok._o1 NULLS "
                   "LAST, ok._o2) d\n"
                   // Only slugs not taken yet: a conflicting row would still use up an id.
                   "  WHERE NOT EXISTS (SELECT 1 FROM " + tgt + ".tags et WHERE et.slug = d._slug_base)"
                   " ORDER BY d._o1 NULLS LAST, d._o2\n"
                   "  ON CONFLICT (slug) DO NOTHING RETURNING id, slug),\n"
                   "tm AS (SELECT nt.id, nt.slug FROM nt UNION ALL SELECT t.id, t.slug FROM " + tgt +
                   ".tags t WHERE t.slug IN (SELECT ok._slug_base FROM ok)),\n"
                   "pairs AS MATERIALIZED (SELECT ok.*, tm.id AS tag_id FROM ok JOIN tm ON tm.slug = "
                   "ok._slug_base),\n"
                   "ins AS (INSERT INTO " + tgt + ".pack_tags (pack_id, tag_id, legacy, legacy_id, "
                   "migration_run_id)\n"
                   "  SELECT DISTINCT ON (pairs.pack_id, pairs.tag_id) pairs.pack_id, pairs.tag_id, "
                   "pairs.legacy, pairs._key::integer, " + run +
                   " FROM pairs ORDER BY pairs.pack_id, pairs.tag_id, pairs._o1 NULLS LAST, pairs._o2\n"
                   "  ON CONFLICT (pack_id, tag_id) DO NOTHING RETURNING legacy_id),\n"
                   "mg AS (INSERT INTO " + tgt + ".migration_merges (source_table, source_key, "
                   "target_key, run_id)\n"
                   "  SELECT 'tags', pairs._key, jsonb_build_array(pairs.pack_id::text, "
                   "pairs.tag_id::text)::text, " + run +
                   " FROM pairs WHERE pairs._key::integer NOT IN (SELECT ins.legacy_id FROM ins)\n"
                   "  ON CONFLICT (source_table, source_key) DO NOTHING RETURNING 1)";
            merged = "(SELECT count(*) FROM mg)";
            break;
        case Writer::kFavorites:
            // A later legacy duplicate with an earlier created_at (a catch-up
            // run) moves the V2 row's created_at back: the earliest wins.
            sql += "ok AS MATERIALIZED (SELECT * FROM b WHERE b._reason IS NULL),\n"
                   "ins AS (INSERT INTO " + tgt + ".favorites AS f (user_id, pack_id, created_at, "
                   "legacy, legacy_id, migration_run_id)\n"
                   "  SELECT DISTINCT ON (ok.user_id, ok.pack_id) ok.user_id, ok.pack_id, "
                   "ok.created_at, ok.legacy, ok._key::integer, " + run +
                   " FROM ok ORDER BY ok.user_id, ok.pack_id, ok._o1 NULLS LAST, ok._o2\n"
                   "  ON CONFLICT (user_id, pack_id) DO UPDATE SET created_at = EXCLUDED.created_at\n"
                   "    WHERE EXCLUDED.created_at < f.created_at OR (f.created_at IS NULL AND "
                   "EXCLUDED.created_at IS NOT NULL)\n"
                   "  RETURNING f.legacy_id, (f.xmax = 0) AS inserted),\n"
                   "mg AS (INSERT INTO " + tgt + ".migration_merges (source_table, source_key, "
                   "target_key, run_id)\n"
                   "  SELECT 'favorites', ok._key, jsonb_build_array(ok.user_id::text, "
                   "ok.pack_id::text)::text, " + run +
                   " FROM ok WHERE ok._key::integer NOT IN (SELECT ins.legacy_id FROM ins WHERE "
                   "ins.inserted)\n"
                   "  ON CONFLICT (source_table, source_key) DO NOTHING RETURNING 1)";
            written = "(SELECT count(*) FROM ins WHERE ins.inserted)";
            merged = "(SELECT count(*) FROM mg)";
            break;
    }
    if (rows == RowSet::kQuarantined) {
        sql += ",\nunq AS (DELETE FROM " + tgt +
               ".migration_rejects r USING b WHERE b._reason IS NULL AND r.source_table = "
               "b._source AND r.source_key = b._key RETURNING 1)";
    }
    sql += "\nSELECT (SELECT count(*) FROM b)::bigint AS rows_read, " + written +
           "::bigint AS rows_written, " + merged +
           "::bigint AS rows_merged, (SELECT count(*) FROM rej)::bigint AS rows_rejected, "
           "(SELECT count(*) FROM b WHERE b._reason IS NULL AND b._warn)::bigint AS warnings";
    if (rows == RowSet::kQuarantined) sql += ", (SELECT count(*) FROM unq)::bigint AS released";
    return sql;
}

namespace {

// The V2 groups of a merging mapping: one V2 row per pair, named in
// migration_merges.target_key as jsonb_build_array(a::text, b::text)::text.
struct PairSpec {
    std::string_view table;       // V2 table
    std::string_view a, a_type;   // first pair column
    std::string_view b, b_type;   // second pair column
};

PairSpec PairOf(const TableMapping& m) {
    if (m.writer == Writer::kTags) return {"pack_tags", "pack_id", "uuid", "tag_id", "bigint"};
    return {"favorites", "user_id", "uuid", "pack_id", "uuid"};
}

// The two sides of a merging mapping's comparison, one row per V2 group
// (k1, k2) with the columns the V2 row keeps (c1, c2): from the legacy rows
// `rows` (a FROM item aliased m) that map and pass `kept` (the first row of each
// group in processing order: the earliest favorite, the legacy jsonb kept), and
// from the V2 rows that came from legacy.
struct GroupSides {
    std::string legacy;
    std::string v2;
};

GroupSides GroupComparison(const TableMapping& m, const std::string& tgt, const std::string& rows,
                           const std::string& kept) {
    if (m.writer == Writer::kFavorites) {
        return {"SELECT DISTINCT ON (m.user_id, m.pack_id) m.user_id AS k1, m.pack_id AS k2, m.created_at AS c1, "
                "m.legacy AS c2 FROM " + rows + " WHERE m._reason IS NULL AND " + kept +
                    " ORDER BY m.user_id, m.pack_id, m._o1 NULLS LAST, m._o2",
                "SELECT v.user_id AS k1, v.pack_id AS k2, v.created_at AS c1, v.legacy AS c2 FROM " + tgt +
                    ".favorites v WHERE v.legacy_id IS NOT NULL"};
    }
    return {"SELECT DISTINCT ON (m.pack_id, m._slug_base COLLATE \"C\") m.pack_id AS k1, m._slug_base AS k2, "
            "NULL::boolean AS c1, m.legacy AS c2 FROM " + rows + " WHERE m._reason IS NULL AND " + kept +
                " ORDER BY m.pack_id, m._slug_base COLLATE \"C\", m._o1 NULLS LAST, m._o2",
            "SELECT v.pack_id AS k1, t.slug::text AS k2, NULL::boolean AS c1, v.legacy AS c2 FROM " + tgt +
                ".pack_tags v JOIN " + tgt + ".tags t ON t.id = v.tag_id WHERE v.legacy_id IS NOT NULL"};
}

std::string KeyList(const TableMapping& m) {
    return "(SELECT bk::" + std::string(m.key_type) + " FROM unnest($1::text[]) AS bk)";
}

std::string Quarantined(const TableMapping& m, const std::string& tgt) {
    return "(SELECT rq.source_key FROM " + tgt + ".migration_rejects rq WHERE rq.source_table = " +
           QuoteLiteral(m.name) + ")";
}

// Quarantine records of the keys $1 that the mapping no longer rejects.
std::string ReleaseCte(const TableMapping& m, const std::string& tgt) {
    return "unq AS (DELETE FROM " + tgt + ".migration_rejects r WHERE r.source_table = " + QuoteLiteral(m.name) +
           " AND r.source_key = ANY ($1::text[]) AND NOT EXISTS (SELECT 1 FROM b WHERE b._key = r.source_key "
           "AND b._reason IS NOT NULL) RETURNING 1)";
}

}  // namespace

std::string SyncSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                    std::int64_t run_id) {
    if (mapping.writer != Writer::kInsert) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(mapping.name) + ": SyncSql is for one-row mappings");
    }
    const Context ctx{mapping, names, catalog, RowSet::kSync, ParentMode::kTarget, {}};
    const std::string& tgt = names.target;
    const std::string table = tgt + "." + std::string(mapping.target);
    const std::string tk = "v." + std::string(mapping.target_key);
    // A slug once assigned never changes: only new rows claim one, one
    // transaction at a time per stem (serialised), from the latest state.
    const InsertLists ins = InsertColumns(mapping, names, "true, true");
    const UpdateLists upd = UpdateColumns(mapping, "x");
    const std::string& columns = ins.columns;
    const std::string& values = ins.values;
    const std::string& sets = upd.sets;
    const std::string& v2_cols = upd.v2_cols;
    const std::string& mapped_cols = upd.mapped_cols;
    std::string sql = "WITH b AS MATERIALIZED (" + MappedRowsSql(mapping, names, catalog, RowSet::kSync,
                                                                 ParentMode::kTarget) + "),\n";
    sql += RejectCte(ctx, run_id) + ",\n" + ReleaseCte(mapping, tgt) + ",\n";
    sql += "upd AS (UPDATE " + table + " v SET " + sets + " FROM b x WHERE x._reason IS NULL AND " + tk +
           " = x._o2 AND (" + v2_cols + ") IS DISTINCT FROM (" + mapped_cols + ") RETURNING 1),\n";
    sql += "ins AS (INSERT INTO " + table + " (" + columns + "migration_run_id)\n  SELECT " + values + Run(run_id) +
           " FROM (SELECT * FROM b WHERE b._reason IS NULL AND NOT EXISTS (SELECT 1 FROM " + table + " v WHERE " + tk +
           " = b._o2) ORDER BY b._o1 NULLS LAST, b._o2 OFFSET 0) x\n  RETURNING 1),\n";
    // A deleted legacy row takes its V2 row along (V2's foreign keys act);
    // a rejected change keeps the last good V2 row, a rejected delete does not.
    sql += "del AS (DELETE FROM " + table + " v WHERE " + tk + " IN " + KeyList(mapping) +
           " AND v.migration_run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM b WHERE b._o2 = " + tk +
           " AND (b._reason IS NULL OR NOT $2::boolean)) RETURNING 1)\n";
    sql += "SELECT (SELECT count(*) FROM b)::bigint AS rows_read, (SELECT count(*) FROM ins)::bigint AS rows_written, "
           "(SELECT count(*) FROM upd)::bigint AS rows_updated, (SELECT count(*) FROM del)::bigint AS rows_deleted, "
           "(SELECT count(*) FROM rej)::bigint AS rows_rejected";
    return sql;
}

namespace {

// The mapped rows of live sync's fast paths, which the trigger runs for one key.
std::string MappedOneKey(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog) {
    CheckRunnable(mapping, catalog);
    Context ctx{mapping, names, catalog, RowSet::kSync, ParentMode::kTarget, {}};
    ctx.single_key = true;
    return Expand(mapping.mapped, ctx);
}

// "the key also has a quarantine record": the fast paths return it per row
// written, so that the complete statement can release the record.
std::string QuarantinedKey(const TableMapping& m, const std::string& tgt, const std::string& key_text) {
    return "EXISTS (SELECT 1 FROM " + tgt + ".migration_rejects rq WHERE rq.source_table = " + QuoteLiteral(m.name) +
           " AND rq.source_key = " + key_text + ") AS quarantined";
}

}  // namespace

std::string SyncInsertSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                          std::int64_t run_id) {
    const std::string& tgt = names.target;
    const std::string mapped = MappedOneKey(mapping, names, catalog);
    const std::string run = Run(run_id);
    if (mapping.writer == Writer::kInsert) {
        const std::string table = tgt + "." + std::string(mapping.target);
        const InsertLists ins = InsertColumns(mapping, names, "true, true");
        const std::string& columns = ins.columns;
        const std::string& values = ins.values;
        return "INSERT INTO " + table + " AS v (" + columns + "migration_run_id)\nSELECT " + values + run + " FROM (" +
               mapped + ") x\nWHERE x._reason IS NULL AND NOT EXISTS (SELECT 1 FROM " + table + " e WHERE e." +
               std::string(mapping.target_key) + " = x._o2)\nRETURNING " +
               QuarantinedKey(mapping, tgt, "v." + std::string(mapping.target_key) + "::text");
    }
    const PairSpec p = PairOf(mapping);
    const std::string table = tgt + "." + std::string(p.table);
    const std::string not_linked = "NOT EXISTS (SELECT 1 FROM " + table + " e WHERE e.legacy_id = x._key::integer)";
    if (mapping.writer == Writer::kFavorites) {
        return "INSERT INTO " + table + " AS v (user_id, pack_id, created_at, legacy, legacy_id, migration_run_id)\n"
               "SELECT x.user_id, x.pack_id, x.created_at, x.legacy, x._key::integer, " + run + " FROM (" + mapped +
               ") x\nWHERE x._reason IS NULL AND " + not_linked + "\nON CONFLICT (user_id, pack_id) DO NOTHING\nRETURNING " +
               QuarantinedKey(mapping, tgt, "v.legacy_id::text");
    }
    return "INSERT INTO " + table + " AS v (pack_id, tag_id, legacy, legacy_id, migration_run_id)\n"
           "SELECT x.pack_id, t.id, x.legacy, x._key::integer, " + run + " FROM (" + mapped + ") x JOIN " + tgt +
           ".tags t ON t.slug = x._slug_base\nWHERE x._reason IS NULL AND " + not_linked +
           "\nON CONFLICT (pack_id, tag_id) DO NOTHING\nRETURNING " + QuarantinedKey(mapping, tgt, "v.legacy_id::text");
}

std::string SyncUpdateSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog) {
    if (mapping.writer != Writer::kInsert) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(mapping.name) + ": SyncUpdateSql is for one-row mappings");
    }
    const std::string& tgt = names.target;
    const std::string table = tgt + "." + std::string(mapping.target);
    const std::string tk = "v." + std::string(mapping.target_key);
    const UpdateLists upd = UpdateColumns(mapping, "x");
    const std::string& sets = upd.sets;
    const std::string& v2_cols = upd.v2_cols;
    const std::string& mapped_cols = upd.mapped_cols;
    return "UPDATE " + table + " v SET " + sets + "\nFROM (" + MappedOneKey(mapping, names, catalog) +
           ") x\nWHERE x._reason IS NULL AND " +
           tk + " = x._o2 AND (" + v2_cols + ") IS DISTINCT FROM (" + mapped_cols + ")\nRETURNING " +
           QuarantinedKey(mapping, tgt, "x._key");
}

std::string SyncUnchangedSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog) {
    if (mapping.writer != Writer::kInsert) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(mapping.name) + ": SyncUnchangedSql is for one-row mappings");
    }
    const std::string& tgt = names.target;
    const UpdateLists upd = UpdateColumns(mapping, "x");
    return "SELECT count(*) = 1 AS unchanged FROM (" + MappedOneKey(mapping, names, catalog) +
           ") x\nWHERE x._reason IS NULL AND EXISTS (SELECT 1 FROM " + tgt + "." + std::string(mapping.target) + " v WHERE v." +
           std::string(mapping.target_key) + " = x._o2 AND (" + upd.v2_cols + ") IS NOT DISTINCT FROM (" + upd.mapped_cols +
           ")) AND NOT EXISTS (SELECT 1 FROM " + tgt +
           ".migration_rejects rq WHERE rq.source_table = " + QuoteLiteral(mapping.name) + " AND rq.source_key = x._key)";
}

std::string SyncDeleteSql(const TableMapping& mapping, const SqlNames& names) {
    if (mapping.writer == Writer::kInsert) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(mapping.name) + ": SyncDeleteSql is for merging mappings");
    }
    const std::string& tgt = names.target;
    const PairSpec p = PairOf(mapping);
    return "DELETE FROM " + tgt + "." + std::string(p.table) + " v WHERE v.legacy_id = ANY ($1::text[]::integer[])\n"
           "AND NOT EXISTS (SELECT 1 FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + QuoteLiteral(mapping.name) +
           " AND mm.target_key = jsonb_build_array(v." + std::string(p.a) + "::text, v." + std::string(p.b) + "::text)::text)\n"
           "RETURNING " + QuarantinedKey(mapping, tgt, "v.legacy_id::text");
}

std::string UnlinkSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog,
                      std::int64_t run_id) {
    if (mapping.writer == Writer::kInsert) {
        throw Error(ErrorCode::kInternal, "dskv2 mapping " + std::string(mapping.name) + ": UnlinkSql is for merging mappings");
    }
    const Context ctx{mapping, names, catalog, RowSet::kSync, ParentMode::kTarget, {}};
    const std::string& tgt = names.target;
    const PairSpec p = PairOf(mapping);
    const std::string table = tgt + "." + std::string(p.table);
    const std::string a = std::string(p.a);
    const std::string b = std::string(p.b);
    const std::string src = QuoteLiteral(mapping.name);
    std::string sql = "WITH b AS MATERIALIZED (" + MappedRowsSql(mapping, names, catalog, RowSet::kSync,
                                                                 ParentMode::kTarget) + "),\n";
    sql += RejectCte(ctx, run_id) + ",\n";
    // The keys whose group is rebuilt: all but rejected changes of rows whose
    // V2 group is still there (it keeps its last good version).
    sql += "kept AS MATERIALIZED (SELECT b._key AS k FROM b WHERE b._reason IS NOT NULL AND NOT $2::boolean AND "
           "(EXISTS (SELECT 1 FROM " + table + " v WHERE v.legacy_id = b._key::integer) OR EXISTS (SELECT 1 FROM " + tgt +
           ".migration_merges mm JOIN " + table + " v ON v." + a + " = (mm.target_key::jsonb ->> 0)::" +
           std::string(p.a_type) + " AND v." + b + " = (mm.target_key::jsonb ->> 1)::" + std::string(p.b_type) +
           " WHERE mm.source_table = " + src + " AND mm.source_key = b._key))),\n";
    sql += "moving AS MATERIALIZED (SELECT k FROM unnest($1::text[]) AS k WHERE k NOT IN (SELECT kept.k FROM kept)),\n";
    sql += "grp AS MATERIALIZED (SELECT v." + a + " AS k1, v." + b + " AS k2 FROM " + table +
           " v WHERE v.legacy_id IN (SELECT moving.k::integer FROM moving)\n"
           "  UNION SELECT (mm.target_key::jsonb ->> 0)::" + std::string(p.a_type) + ", (mm.target_key::jsonb ->> 1)::" +
           std::string(p.b_type) + " FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.source_key IN (SELECT moving.k FROM moving)),\n";
    sql += "members AS MATERIALIZED (SELECT v.legacy_id::text AS k FROM " + table + " v JOIN grp ON v." + a +
           " = grp.k1 AND v." + b + " = grp.k2 WHERE v.legacy_id IS NOT NULL\n"
           "  UNION SELECT mm.source_key FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.target_key IN (SELECT jsonb_build_array(grp.k1::text, grp.k2::text)::text FROM grp)\n"
           "  UNION SELECT moving.k FROM moving),\n";
    sql += "dv AS (DELETE FROM " + table + " v USING grp WHERE v." + a + " = grp.k1 AND v." + b +
           " = grp.k2 AND v.legacy_id IS NOT NULL RETURNING 1),\n";
    sql += "dm AS (DELETE FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.source_key IN (SELECT members.k FROM members) RETURNING 1),\n";
    sql += "unq AS (DELETE FROM " + tgt + ".migration_rejects r WHERE r.source_table = " + src +
           " AND r.source_key IN (SELECT moving.k FROM moving) AND NOT EXISTS (SELECT 1 FROM b WHERE b._key = "
           "r.source_key AND b._reason IS NOT NULL) RETURNING 1)\n";
    sql += "SELECT ARRAY(SELECT members.k FROM members WHERE NOT EXISTS (SELECT 1 FROM b WHERE b._key = members.k "
           "AND b._reason IS NOT NULL) ORDER BY members.k) AS keys, (SELECT count(*) FROM dv)::bigint AS rows_unlinked, "
           "(SELECT count(*) FROM dm)::bigint AS merges_released, (SELECT count(*) FROM rej)::bigint AS rows_rejected, "
           "(SELECT count(*) FROM unq)::bigint AS rows_released";
    return sql;
}

std::string ReconcileKeysSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog) {
    const std::string& tgt = names.target;
    const std::string src = QuoteLiteral(mapping.name);
    const std::string mapped = MappedRowsSql(mapping, names, catalog, RowSet::kAll, ParentMode::kTarget);
    std::string sql = "WITH m AS MATERIALIZED (" + mapped + "),\nq AS MATERIALIZED " + Quarantined(mapping, tgt) + ",\n";
    // Merge and quarantine records of legacy rows that are gone.
    const std::string stale =
        "SELECT mm.source_key FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
        " AND NOT EXISTS (SELECT 1 FROM m WHERE m._key = mm.source_key)\n"
        "UNION SELECT q.source_key FROM q WHERE NOT EXISTS (SELECT 1 FROM m WHERE m._key = q.source_key)";
    if (mapping.writer == Writer::kInsert) {
        const std::string table = tgt + "." + std::string(mapping.target);
        const UpdateLists cmp = UpdateColumns(mapping, "m");
        const std::string& v2_cols = cmp.v2_cols;
        const std::string& mapped_cols = cmp.mapped_cols;
        sql += "z AS (SELECT v." + std::string(mapping.target_key) + "::text AS k FROM " + table + " v LEFT JOIN m ON m._o2 = v." +
               std::string(mapping.target_key) + " WHERE v.migration_run_id IS NOT NULL AND (m._key IS NULL OR (m._reason IS NULL AND (" +
               v2_cols + ") IS DISTINCT FROM (" + mapped_cols + ")) OR (m._reason IS NOT NULL AND NOT EXISTS (SELECT 1 FROM q WHERE q.source_key = m._key)))\n"
               "UNION " + stale + ")\n";
        return sql + "SELECT DISTINCT z.k FROM z";
    }
    const PairSpec p = PairOf(mapping);
    const std::string table = tgt + "." + std::string(p.table);
    const GroupSides sides = GroupComparison(mapping, tgt, "m", "NOT EXISTS (SELECT 1 FROM q WHERE q.source_key = m._key)");
    const std::string& legacy_side = sides.legacy;
    const std::string& v2_side = sides.v2;
    // The V2 pairs of differing groups, as (user_id, pack_id) / (pack_id, tag_id).
    const std::string member_pairs = mapping.writer == Writer::kFavorites
                                         ? std::string("SELECT d.k1, d.k2 FROM d")
                                         : "SELECT d.k1, t.id AS k2 FROM d JOIN " + tgt + ".tags t ON t.slug = d.k2";
    const std::string a = std::string(p.a);
    const std::string b = std::string(p.b);
    // Rows already migrated (in V2 or merged) and the groups they are in.
    sql += "done AS MATERIALIZED (SELECT v.legacy_id::text AS k FROM " + table + " v WHERE v.legacy_id IS NOT NULL "
           "UNION SELECT mm.source_key FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src + "),\n";
    sql += "d AS MATERIALIZED (SELECT COALESCE(l.k1, r.k1) AS k1, COALESCE(l.k2, r.k2) AS k2 FROM (" + legacy_side +
           ") l FULL JOIN (" + v2_side + ") r ON r.k1 = l.k1 AND r.k2 = l.k2 WHERE l.k1 IS NULL OR r.k1 IS NULL OR "
           "l.c1 IS DISTINCT FROM r.c1 OR l.c2 IS DISTINCT FROM r.c2),\n";
    sql += "gp AS MATERIALIZED (" + member_pairs + "),\n";
    const std::string pair_of_mapped = mapping.writer == Writer::kFavorites ? "(m.user_id, m.pack_id)"
                                                                            : "(m.pack_id, m._slug_base)";
    sql += "z AS (SELECT v.legacy_id::text AS k FROM " + table + " v JOIN gp ON (v." + a + ", v." + b +
           ") = (gp.k1, gp.k2) WHERE v.legacy_id IS NOT NULL\n"
           "UNION SELECT mm.source_key FROM " + tgt + ".migration_merges mm WHERE mm.source_table = " + src +
           " AND mm.target_key IN (SELECT jsonb_build_array(gp.k1::text, gp.k2::text)::text FROM gp)\n"
           "UNION SELECT m._key FROM m JOIN d ON " + pair_of_mapped + " = (d.k1, d.k2) WHERE m._key IN (SELECT done.k FROM done)\n"
           "UNION SELECT m._key FROM m WHERE m._reason IS NOT NULL AND m._key IN (SELECT done.k FROM done) AND NOT EXISTS "
           "(SELECT 1 FROM q WHERE q.source_key = m._key)\n"
           "UNION " + stale + ")\n";
    return sql + "SELECT DISTINCT z.k FROM z";
}

std::string PlanSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog) {
    return "SELECT COALESCE(sum(g.n), 0)::bigint AS pending,\n"
           "       COALESCE(sum(g.n) FILTER (WHERE g._reason IS NOT NULL), 0)::bigint AS "
           "predicted_rejects,\n"
           "       COALESCE(jsonb_object_agg(g._reason, g.n) FILTER (WHERE g._reason IS NOT NULL), "
           "'{}'::jsonb) AS reject_reasons\n"
           "FROM (SELECT m._reason, count(*) AS n FROM (" +
           MappedRowsSql(mapping, names, catalog, RowSet::kPending, ParentMode::kPredicted) +
           ") m GROUP BY m._reason) g";
}

namespace {

// V2 rows that came from legacy, per mapping.
std::string V2FromLegacy(const TableMapping& m, const std::string& tgt) {
    if (m.writer == Writer::kTags) {
        return "(SELECT count(*) FROM " + tgt + ".pack_tags v WHERE v.legacy_id IS NOT NULL)";
    }
    if (m.writer == Writer::kFavorites) {
        return "(SELECT count(*) FROM " + tgt + ".favorites v WHERE v.legacy_id IS NOT NULL)";
    }
    return "(SELECT count(*) FROM " + tgt + "." + std::string(m.target) +
           " v WHERE v.migration_run_id IS NOT NULL)";
}

// The legacy rows a mapping reads, counted from the legacy tables.
std::string LegacyCount(const TableMapping& m, const SqlNames& names) {
    if (m.name == "auth.users") {
        return "((SELECT count(*) FROM auth.users) + (SELECT count(*) FROM " + names.source +
               ".profiles p WHERE NOT EXISTS (SELECT 1 FROM auth.users a WHERE a.id = p.id)))";
    }
    return "(SELECT count(*) FROM " + names.source + "." + std::string(m.relations.front().name) + ")";
}

// Mapping-aware content comparison of one mapping: per key, the legacy row as
// it maps to V2 against the V2 row that came from it, column by column (IS
// DISTINCT FROM: NULL and '' differ, numerics and instants compare by value;
// slugs and bookkeeping columns excluded, quarantined keys on neither side).
// Yields one row (n, keys): how many keys differ, and the first max_keys.
std::string ContentDiff(const TableMapping& m, const SqlNames& names, const Catalog& catalog,
                        int max_keys) {
    const std::string& tgt = names.target;
    const std::string mapped = MappedRowsSql(m, names, catalog, RowSet::kAll, ParentMode::kTarget);
    // Every quarantined key of a mapping is filed under the mapping's name.
    // NOT IN over a NOT NULL column: always a hashed subplan, never a probe per row.
    const std::string not_quarantined =
        "m._key NOT IN (SELECT rj.source_key FROM " + tgt + ".migration_rejects rj WHERE rj.source_table = " +
        QuoteLiteral(m.name) + ")";
    std::vector<std::string> cols;  // compared columns: l.<c> vs r.<c>
    std::string legacy_side;
    std::string v2_side;
    std::string key_text;
    if (m.writer == Writer::kInsert) {
        std::string sel_l = "m._o2 AS k";
        std::string sel_r = "v." + std::string(m.target_key) + " AS k";
        for (std::string_view c : m.insert_columns) {
            if (c == m.target_key) continue;
            cols.emplace_back(c);
            sel_l += ", m." + std::string(c) + " AS c_" + std::string(c);
            sel_r += ", v." + std::string(c) + " AS c_" + std::string(c);
        }
        legacy_side = "SELECT " + sel_l + " FROM (" + mapped + ") m WHERE m._reason IS NULL AND " +
                      not_quarantined;
        v2_side = "SELECT " + sel_r + " FROM " + tgt + "." + std::string(m.target) +
                  " v WHERE v.migration_run_id IS NOT NULL";
        key_text = "COALESCE(l.k, r.k)::text";
        std::string cond;
        for (const std::string& c : cols) {
            cond += (cond.empty() ? "" : " OR ") + std::string("l.c_") + c + " IS DISTINCT FROM r.c_" + c;
        }
        return "(SELECT count(*) AS n, (array_agg(f.k ORDER BY f.k) FILTER (WHERE f.r <= " +
               std::to_string(max_keys) + ")) AS keys FROM (SELECT " + key_text +
               " AS k, row_number() OVER (ORDER BY " + key_text + ") AS r FROM (" + legacy_side +
               ") l FULL JOIN (" + v2_side + ") r ON r.k = l.k WHERE l.k IS NULL OR r.k IS NULL OR " +
               cond + ") f)";
    }
    // The first row of each pair in processing order (created_at NULLS LAST):
    // the earliest created_at, and the legacy jsonb the V2 row kept.
    const GroupSides sides = GroupComparison(m, tgt, "(" + mapped + ") m", not_quarantined);
    legacy_side = sides.legacy;
    v2_side = sides.v2;
    key_text = "jsonb_build_array(COALESCE(l.k1, r.k1), COALESCE(l.k2, r.k2))::text";
    return "(SELECT count(*) AS n, (array_agg(f.k ORDER BY f.k) FILTER (WHERE f.r <= " +
           std::to_string(max_keys) + ")) AS keys FROM (SELECT " + key_text +
           " AS k, row_number() OVER (ORDER BY " + key_text + ") AS r FROM (" + legacy_side +
           ") l FULL JOIN (" + v2_side + ") r ON r.k1 = l.k1 AND r.k2 = l.k2 WHERE l.k1 IS NULL OR r.k1 IS NULL "
           "OR l.c1 IS DISTINCT FROM r.c1 OR l.c2 IS DISTINCT FROM r.c2) f)";
}

struct ForeignKey {
    std::string_view table, column, parent, parent_key;
};

}  // namespace

std::string VerifySql(const SqlNames& names, const Catalog& catalog, int max_keys) {
    const std::string& tgt = names.target;
    std::vector<std::string> rows;
    // Conservation per legacy table, recounted from the tables themselves.
    for (const TableMapping& m : Mappings()) {
        CheckRunnable(m, catalog);
        const std::string src = QuoteLiteral(m.name);
        const std::string merged = "(SELECT count(*) FROM " + tgt +
                                   ".migration_merges x WHERE x.source_table = " + src + ")";
        const std::string quarantined = "(SELECT count(*) FROM " + tgt +
                                        ".migration_rejects x WHERE x.source_table = " + src + ")";
        const std::string v2 = V2FromLegacy(m, tgt);
        const std::string legacy = LegacyCount(m, names);
        // Each count once: OFFSET 0 keeps the subquery from being pulled up, which
        // would run its counts again for every column that names them.
        rows.push_back("SELECT 'conservation'::text, " + src +
                       "::text, c.l = c.v + c.m + c.q, c.l, c.v + c.m + c.q, format('%s legacy rows = %s in "
                       "V2 + %s merged + %s quarantined', c.l, c.v, c.m, c.q), NULL::text[] FROM (SELECT " +
                       legacy + "::bigint AS l, " + v2 + "::bigint AS v, " + merged + "::bigint AS m, " +
                       quarantined + "::bigint AS q OFFSET 0) c");
    }
    // Content checksum per V2 table.
    for (const TableMapping& m : Mappings()) {
        const std::string diff = ContentDiff(m, names, catalog, max_keys);
        rows.push_back("SELECT 'content_checksum'::text, " + QuoteLiteral(m.target) +
                       "::text, d.n = 0, 0::bigint, d.n, CASE WHEN d.n = 0 THEN 'every row from legacy "
                       "matches its legacy row as mapped' ELSE format('%s keys differ (legacy as mapped vs "
                       "V2), first: %s', d.n, array_to_string(d.keys, ', ')) END, d.keys FROM " +
                       diff + " d");
    }
    // Foreign keys without orphans.
    static const ForeignKey kKeys[] = {
        {"packs", "category_id", "categories", "id"}, {"packs", "author_id", "users", "id"},
        {"samples", "pack_id", "packs", "id"},        {"pack_tags", "pack_id", "packs", "id"},
        {"pack_tags", "tag_id", "tags", "id"},        {"favorites", "user_id", "users", "id"},
        {"favorites", "pack_id", "packs", "id"},      {"pack_stats", "pack_id", "packs", "id"},
        {"trending_ideas", "category_id", "categories", "id"},
        {"user_packs", "user_id", "users", "id"},     {"user_packs", "pack_id", "packs", "id"},
        {"ai_usage", "user_id", "users", "id"}};
    for (const ForeignKey& fk : kKeys) {
        const std::string c = "c." + std::string(fk.column);
        const std::string orphans = "SELECT " + c + "::text AS k FROM " + tgt + "." + std::string(fk.table) +
                                    " c WHERE " + c + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + tgt + "." +
                                    std::string(fk.parent) + " p WHERE p." + std::string(fk.parent_key) +
                                    " = " + c + ")";
        rows.push_back("SELECT 'fk_orphans'::text, " + QuoteLiteral(fk.table) +
                       "::text, o.n = 0, 0::bigint, o.n, format('%s.%s -> %s: %s orphans', " +
                       QuoteLiteral(fk.table) + ", " + QuoteLiteral(fk.column) + ", " +
                       QuoteLiteral(fk.parent) + ", o.n), o.keys FROM (SELECT count(*) AS n, "
                       "(array_agg(z.k ORDER BY z.k))[1:" + std::to_string(max_keys) + "] AS keys FROM (" +
                       orphans + ") z) o");
    }
    // Slugs: unique and well formed.
    for (std::string_view table : {"categories", "packs", "tags", "trending_ideas"}) {
        const std::string t = tgt + "." + std::string(table);
        const std::string limit = std::to_string(max_keys);
        rows.push_back("SELECT 'slug_unique'::text, " + QuoteLiteral(table) +
                       "::text, d.n = 0, 0::bigint, d.n, format('%s duplicated slugs', d.n), d.keys FROM "
                       "(SELECT count(*) AS n, (array_agg(z.slug ORDER BY z.slug))[1:" + limit +
                       "] AS keys FROM (SELECT slug::text FROM " + t +
                       " WHERE slug IS NOT NULL GROUP BY slug HAVING count(*) > 1) z) d");
        rows.push_back("SELECT 'slug_format'::text, " + QuoteLiteral(table) +
                       "::text, d.n = 0, 0::bigint, d.n, format('%s slugs outside ^[a-z0-9]+(-[a-z0-9]+)*$', "
                       "d.n), d.keys FROM (SELECT count(*) AS n, (array_agg(z.slug ORDER BY z.slug))[1:" +
                       limit + "] AS keys FROM (SELECT slug::text FROM " + t +
                       " WHERE slug IS NOT NULL AND slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$') z) d");
    }
    // E-mails: unique case-insensitively.
    rows.push_back("SELECT 'email_unique'::text, 'users'::text, d.n = 0, 0::bigint, d.n, format('%s e-mails "
                   "used more than once', d.n), d.keys FROM (SELECT count(*) AS n, (array_agg(z.e ORDER BY "
                   "z.e))[1:" + std::to_string(max_keys) + "] AS keys FROM (SELECT lower(email) AS e FROM " +
                   tgt + ".users WHERE email IS NOT NULL GROUP BY 1 HAVING count(*) > 1) z) d");
    // Identities past the legacy sequences: the next V2 id is above every legacy id.
    for (std::string_view table : {"categories", "samples", "trending_ideas", "admin_logs"}) {
        rows.push_back("SELECT 'sequence'::text, " + QuoteLiteral(table) +
                       "::text, q.nxt > q.mx, q.mx, q.nxt, format('next V2 id %s, legacy max id %s', q.nxt, "
                       "q.mx), NULL::text[] FROM (SELECT (SELECT COALESCE(max(id), 0) FROM " + names.source +
                       "." + std::string(table) + ")::bigint AS mx, (SELECT CASE WHEN s.is_called THEN "
                       "s.last_value + 1 ELSE s.last_value END FROM " + tgt + "." + std::string(table) +
                       "_id_seq s)::bigint AS nxt OFFSET 0) q");
    }
    std::string sql;
    for (const std::string& r : rows) {
        if (!sql.empty()) sql += "\nUNION ALL\n";
        sql += r;
    }
    return sql;
}

std::string StageSql(const TableMapping& mapping, const SqlNames& names, const Catalog& catalog) {
    return "SELECT row_number() OVER (ORDER BY m._o1 NULLS LAST, m._o2) AS _seq, m.* FROM (" +
           MappedRowsSql(mapping, names, catalog, RowSet::kPending, ParentMode::kTarget) + ") m";
}

}  // namespace dskv2::core
