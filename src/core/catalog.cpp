// The catalogue's data (core/catalog.hpp; docs/architecture.md, "The
// catalogue"). Column definitions are written as the DDL creates them; the
// order of tables and columns is the order they are created in.
#include "core/catalog.hpp"

#include <deque>
#include <string>
#include <utility>

namespace dskv2::core {
namespace {

constexpr Ownership kApp{Owner::kV2, Owner::kV2, Owner::kV2};
// Mapped from legacy before the switch, the application's after it, legacy's
// again after a switch back.
constexpr Ownership kMappedThenApp{Owner::kLegacy, Owner::kV2, Owner::kLegacy};
// What the auth path keeps writing after the switch (auth owns it).
constexpr Ownership kAuth{Owner::kLegacy, Owner::kLegacy, Owner::kLegacy};
constexpr Ownership kExtension{Owner::kExtension, Owner::kExtension, Owner::kExtension};
// Allocated by dskv2 for legacy rows, chosen by the application for its own.
constexpr Ownership kSlug{Owner::kExtension, Owner::kV2, Owner::kExtension};

// A column, built by chained setters.
struct Col {
    V2Column c;
    Col(std::string_view name, std::string_view type, std::string_view rest = {}) {
        c.name = name;
        c.type = type;
        c.rest = rest;
    }
    // Mapped from legacy (`home`), with its inverse, owned as `own`.
    Col& From(std::string_view home, std::string_view inverse, Ownership own = kMappedThenApp) {
        c.mapped = true;
        c.legacy_home = home;
        c.inverse = inverse;
        c.owner = own;
        return *this;
    }
    Col& Own(Ownership own) {
        c.owner = own;
        return *this;
    }
    Col& Secret(Secrecy s) {
        c.secrecy = s;
        return *this;
    }
    Col& Since(int step) {
        c.since = step;
        return *this;
    }
    Col& Until(int step) {
        c.until = step;
        return *this;
    }
    operator V2Column() const { return c; }  // NOLINT: a builder
};

// The legacy values a mapping kept (unknown columns) and the run that wrote
// the row: bookkeeping of every table that gets rows from legacy.
Col LegacyJson() { return Col("legacy", "jsonb").From("", "", kExtension).Secret(Secrecy::kInternal); }
Col RunId() { return Col("migration_run_id", "bigint").Own(kExtension).Secret(Secrecy::kInternal); }

V2Table Bookkeeping(std::string_view name, std::vector<V2Column> columns, std::string_view comment) {
    V2Table t;
    t.name = name;
    t.role = TableRole::kBookkeeping;
    t.columns = std::move(columns);
    for (V2Column& c : t.columns) {
        if (c.owner.before_switch == Owner::kV2) c.owner = kExtension;
        c.secrecy = Secrecy::kInternal;
    }
    t.comment = comment;
    t.policies = {{"", "SELECT", "authenticated", "$admin", ""}};
    t.grants = {{"authenticated", "SELECT", ""}};
    return t;
}

// Admins may write the content tables everyone reads: INSERT, UPDATE, DELETE.
void AdminWrites(V2Table& t) {
    t.policies.push_back({"", "INSERT", "authenticated", "", "$admin"});
    t.policies.push_back({"", "UPDATE", "authenticated", "$admin", "$admin"});
    t.policies.push_back({"", "DELETE", "authenticated", "$admin", ""});
}

std::vector<V2Table> BuildV2Tables() {
    std::vector<V2Table> all;
    // -- Bookkeeping -------------------------------------------------------
    all.push_back(Bookkeeping(
        "migration_runs",
        {Col("id", "bigint", "GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
         Col("mode", "text", "NOT NULL CHECK (mode IN ('atomic', 'batched', 'retry', 'sync', 'cutover'))"),
         Col("status", "text",
             "NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'interrupted'))"),
         Col("params", "jsonb", "NOT NULL DEFAULT '{}'"), Col("report", "jsonb"), Col("error", "text"),
         Col("pid", "integer", "NOT NULL DEFAULT pg_backend_pid()"),
         Col("started_by", "text", "NOT NULL DEFAULT current_user"),
         Col("started_at", "timestamptz", "NOT NULL DEFAULT clock_timestamp()"), Col("finished_at", "timestamptz")},
        "one row per run: mode, status, params, report, error"));
    all.back().identity = "id";
    all.push_back(Bookkeeping("migration_rejects",
                              {Col("source_table", "text", "NOT NULL"), Col("source_key", "text", "NOT NULL"),
                               Col("reason", "text", "NOT NULL"), Col("row_data", "jsonb"), Col("run_id", "bigint"),
                               Col("created_at", "timestamptz", "NOT NULL DEFAULT clock_timestamp()")},
                              "the quarantine: legacy rows the mapping rejected, with the reason"));
    all.back().constraints = {"UNIQUE (source_table, source_key)"};
    all.back().indexes = {{"migration_rejects_run_id_idx", false, "(run_id)"}};
    all.push_back(Bookkeeping(
        "migration_state",
        {Col("source_table", "text", "PRIMARY KEY"), Col("target_table", "text", "NOT NULL"), Col("run_id", "bigint"),
         Col("status", "text", "NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done'))"),
         Col("rows_total", "bigint", "NOT NULL DEFAULT 0"), Col("rows_done", "bigint", "NOT NULL DEFAULT 0"),
         Col("last_seq", "bigint", "NOT NULL DEFAULT 0"), Col("counters", "jsonb", "NOT NULL DEFAULT '{}'"),
         Col("migrated_once", "boolean", "NOT NULL DEFAULT false"), Col("started_at", "timestamptz"),
         Col("updated_at", "timestamptz")},
        "per legacy table: the checkpoint ledger and progress of batched runs"));
    all.push_back(Bookkeeping(
        "verify_diffs",
        {Col("checked_at", "timestamptz", "NOT NULL DEFAULT clock_timestamp()"), Col("check_name", "text", "NOT NULL"),
         Col("table_name", "text", "NOT NULL"), Col("key", "text", "NOT NULL")},
        "the differing keys found by dskv2_verify_integrity (when the database is writable)"));
    all.push_back(Bookkeeping(
        "trigger_settings",
        {Col("kind", "text", "NOT NULL CHECK (kind IN ('audit', 'ai_usage'))"), Col("table_name", "text", "NOT NULL"),
         Col("enabled", "boolean", "NOT NULL DEFAULT true"), Col("ignored_columns", "text[]", "NOT NULL DEFAULT '{}'"),
         Col("updated_at", "timestamptz", "NOT NULL DEFAULT now()")},
        "which tables carry the native triggers, so dskv2_create_schema re-attaches them"));
    all.back().constraints = {"PRIMARY KEY (kind, table_name)"};
    all.push_back(Bookkeeping("migration_merges",
                              {Col("source_table", "text", "NOT NULL"), Col("source_key", "text", "NOT NULL"),
                               Col("target_key", "text", "NOT NULL"), Col("run_id", "bigint")},
                              "legacy rows folded into an existing V2 row (duplicate favorites, tags)"));
    all.back().constraints = {"PRIMARY KEY (source_table, source_key)"};
    // Live sync finds a V2 row's merged legacy rows by it.
    all.back().indexes = {{"migration_merges_target_key_idx", false, "(source_table, target_key)"}};

    // -- Content -----------------------------------------------------------
    {
        V2Table t;
        t.name = "users";
        t.columns = {
            Col("id", "uuid", "PRIMARY KEY").From("auth.users.id", "v.id", kAuth),
            Col("email", "text").From("auth.users.email", "", kAuth).Secret(Secrecy::kPersonal),
            Col("full_name", "text").From("profiles.full_name", "v.full_name").Secret(Secrecy::kPersonal),
            Col("avatar_url", "text").From("profiles.avatar_url", "v.avatar_url").Secret(Secrecy::kPersonal),
            Col("role", "text", "NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'premium', 'admin'))")
                .From("profiles.role", "v.role"),
            Col("subscription_status", "text").From("profiles.subscription_status", "v.subscription_status"),
            Col("stripe_customer_id", "text")
                .From("profiles.stripe_customer_id", "v.stripe_customer_id")
                .Secret(Secrecy::kPersonal),
            Col("created_at", "timestamptz", "DEFAULT now()").From("auth.users.created_at", "v.created_at", kAuth),
            Col("updated_at", "timestamptz").From("profiles.updated_at", "v.updated_at"),
            LegacyJson(),
            RunId(),
            // A soft-deleted user (GoTrue sets auth.users.deleted_at): hidden from everyone but admins.
            Col("deleted_at", "timestamptz").From("auth.users.deleted_at", "v.deleted_at", kAuth).Since(3),
        };
        t.indexes = {{"users_email_lower_key", true, "(lower(email))"}};
        t.foreign_keys = {{"id", "auth.users", "id", OnDelete::kCascade, false, "users_id_auth_fkey"}};
        t.provenance = "migration_run_id";
        t.audited = true;
        t.policies = {{"users_read_own", "SELECT", "authenticated", "id = $uid AND deleted_at IS NULL", ""},
                      {"users_admin_read", "SELECT", "authenticated", "$admin", ""},
                      {"users_update_own", "UPDATE", "authenticated", "id = $uid AND deleted_at IS NULL", "id = $uid"},
                      {"users_admin_update", "UPDATE", "authenticated", "$admin", "$admin"},
                      {"users_admin_insert", "INSERT", "authenticated", "", "$admin"},
                      {"users_admin_delete", "DELETE", "authenticated", "$admin", ""}};
        // Users change their own name and avatar, never their role or subscription.
        t.grants = {{"authenticated", "SELECT, DELETE", ""},
                    {"authenticated", "INSERT", ""},
                    {"authenticated", "UPDATE", "full_name, avatar_url"}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "categories";
        t.columns = {
            Col("id", "integer", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").From("categories.id", "v.id"),
            Col("name", "text", "NOT NULL").From("categories.name", "v.name"),
            Col("slug", "text COLLATE \"C\"", "NOT NULL UNIQUE").Own(kSlug),
            Col("description", "text").From("categories.description", "v.description"),
            Col("icon", "text").From("categories.icon", "v.icon"),
            Col("created_at", "timestamptz", "DEFAULT now()").From("categories.created_at", "v.created_at"),
            LegacyJson(),
            RunId(),
        };
        t.identity = "id";
        t.identity_legacy = "categories";
        t.slug_column = "slug";
        t.slug_fallback = "category";
        t.slug_allocated = true;
        t.provenance = "migration_run_id";
        t.audited = true;
        t.policies = {{"categories_read", "SELECT", "anon, authenticated", "true", ""}};
        AdminWrites(t);
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "packs";
        t.columns = {
            Col("id", "uuid", "PRIMARY KEY DEFAULT gen_random_uuid()").From("products.id", "v.id"),
            Col("slug", "text COLLATE \"C\"", "NOT NULL UNIQUE").Own(kSlug),
            Col("title", "text", "NOT NULL").From("products.title", "v.title"),
            Col("description", "text").From("products.description", "v.description"),
            Col("price", "numeric(10,2)", "CHECK (price >= 0)").From("products.price", "v.price"),
            Col("category_id", "integer").From("products.category_id", "v.category_id"),
            Col("cover_url", "text").From("products.thumbnail_url", "v.cover_url"),
            // In pack_files since shape step 4.
            Col("file_url", "text").From("products.file_url", "v.file_url").Secret(Secrecy::kGated).Until(4),
            Col("format", "text").From("products.format", "v.format"),
            Col("language", "text").From("products.language", "v.language"),
            Col("is_premium", "boolean", "NOT NULL DEFAULT false").From("products.is_premium", "v.is_premium"),
            Col("status", "text", "NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived'))")
                .From("products.is_published", "v.status = 'published'"),
            Col("author_id", "uuid").From("products.created_by", "v.author_id"),
            Col("created_at", "timestamptz", "DEFAULT now()").From("products.created_at", "v.created_at"),
            Col("updated_at", "timestamptz").From("products.updated_at", "v.updated_at"),
            LegacyJson(),
            RunId(),
        };
        t.foreign_keys = {{"category_id", "categories", "id", OnDelete::kSetNull, true, ""},
                          {"author_id", "users", "id", OnDelete::kSetNull, true, ""}};
        // The policy column.
        t.indexes = {{"packs_status_idx", false, "(status)"}};
        t.slug_column = "slug";
        t.slug_fallback = "pack";
        t.slug_allocated = true;
        t.provenance = "migration_run_id";
        t.audited = true;
        t.policies = {{"packs_read_published", "SELECT", "anon, authenticated", "status = 'published'", ""},
                      {"packs_admin_read", "SELECT", "authenticated", "$admin", ""},
                      {"packs_admin_insert", "INSERT", "authenticated", "", "$admin"},
                      {"packs_admin_update", "UPDATE", "authenticated", "$admin", "$admin"},
                      {"packs_admin_delete", "DELETE", "authenticated", "$admin", ""}};
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "samples";
        t.columns = {
            Col("id", "integer", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").From("samples.id", "v.id"),
            Col("pack_id", "uuid", "NOT NULL").From("samples.product_id", "v.pack_id"),
            Col("title", "text").From("samples.title", "v.title"),
            Col("url", "text").From("samples.file_url", "v.url"),
            Col("type", "text",
                "NOT NULL CHECK (type IN ('pdf', 'video', 'audio', 'image', 'document', 'spreadsheet', "
                "'presentation', 'archive', 'ebook', 'text', 'link', 'unknown'))")
                .From("samples.file_type", ""),
            Col("created_at", "timestamptz", "DEFAULT now()").From("samples.created_at", "v.created_at"),
            LegacyJson(),
            RunId(),
        };
        t.foreign_keys = {{"pack_id", "packs", "id", OnDelete::kCascade, true, ""}};
        t.identity = "id";
        t.identity_legacy = "samples";
        t.provenance = "migration_run_id";
        t.audited = true;
        t.policies = {{"samples_read_published", "SELECT", "anon, authenticated",
                       "EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = 'published')", ""},
                      {"samples_admin_read", "SELECT", "authenticated", "$admin", ""}};
        AdminWrites(t);
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "tags";
        t.columns = {
            Col("id", "bigint", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").Own(kSlug),
            Col("name", "text", "NOT NULL").From("tags.name", "v.name"),
            Col("slug", "text COLLATE \"C\"", "NOT NULL UNIQUE").Own(kSlug),
            RunId(),
        };
        t.identity = "id";
        t.slug_column = "slug";
        t.slug_fallback = "tag";
        t.audited = true;
        t.policies = {{"tags_read", "SELECT", "anon, authenticated", "true", ""}};
        AdminWrites(t);
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "pack_tags";
        t.columns = {
            Col("pack_id", "uuid", "NOT NULL").From("tags.product_id", "v.pack_id"),
            Col("tag_id", "bigint", "NOT NULL").From("tags.name", ""),
            LegacyJson(),
            Col("legacy_id", "integer").Own(kExtension).Secret(Secrecy::kInternal),
            RunId(),
        };
        t.constraints = {"PRIMARY KEY (pack_id, tag_id)"};
        t.indexes = {{"pack_tags_legacy_id_key", true, "(legacy_id)"}};
        t.foreign_keys = {{"pack_id", "packs", "id", OnDelete::kCascade, false, ""},
                          {"tag_id", "tags", "id", OnDelete::kCascade, true, ""}};
        t.provenance = "legacy_id";
        t.pair = {"pack_id", "uuid", "tag_id", "bigint"};
        t.audited = true;
        t.policies = {{"pack_tags_read", "SELECT", "anon, authenticated", "true", ""}};
        AdminWrites(t);
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "favorites";
        t.columns = {
            Col("user_id", "uuid", "NOT NULL").From("favorites.user_id", "v.user_id"),
            Col("pack_id", "uuid", "NOT NULL").From("favorites.product_id", "v.pack_id"),
            Col("created_at", "timestamptz", "DEFAULT now()").From("favorites.created_at", "v.created_at"),
            LegacyJson(),
            Col("legacy_id", "integer").Own(kExtension).Secret(Secrecy::kInternal),
            RunId(),
        };
        t.constraints = {"PRIMARY KEY (user_id, pack_id)"};
        t.indexes = {{"favorites_legacy_id_key", true, "(legacy_id)"}};
        t.foreign_keys = {{"user_id", "users", "id", OnDelete::kCascade, false, ""},
                          {"pack_id", "packs", "id", OnDelete::kCascade, true, ""}};
        t.provenance = "legacy_id";
        t.pair = {"user_id", "uuid", "pack_id", "uuid"};
        t.policies = {{"favorites_read_own", "SELECT", "authenticated", "user_id = $uid", ""},
                      {"favorites_admin_read", "SELECT", "authenticated", "$admin", ""},
                      {"favorites_insert_own", "INSERT", "authenticated", "", "user_id = $uid"},
                      {"favorites_delete_own", "DELETE", "authenticated", "user_id = $uid", ""}};
        t.grants = {{"authenticated", "SELECT, INSERT, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "user_packs";
        t.columns = {
            Col("user_id", "uuid", "NOT NULL"),
            Col("pack_id", "uuid", "NOT NULL"),
            Col("access", "text",
                "NOT NULL DEFAULT 'purchased' CHECK (access IN ('purchased', 'gifted', 'subscription', 'trial'))"),
            Col("acquired_at", "timestamptz", "NOT NULL DEFAULT now()"),
            Col("last_accessed_at", "timestamptz"),
            Col("progress", "numeric(5,2)", "NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100)"),
        };
        t.constraints = {"PRIMARY KEY (user_id, pack_id)"};
        t.foreign_keys = {{"user_id", "users", "id", OnDelete::kCascade, false, ""},
                          {"pack_id", "packs", "id", OnDelete::kCascade, true, ""}};
        t.policies = {{"user_packs_read_own", "SELECT", "authenticated", "user_id = $uid", ""},
                      {"user_packs_admin_read", "SELECT", "authenticated", "$admin", ""},
                      {"user_packs_admin_insert", "INSERT", "authenticated", "", "$admin"},
                      {"user_packs_admin_update", "UPDATE", "authenticated", "$admin", "$admin"},
                      {"user_packs_admin_delete", "DELETE", "authenticated", "$admin", ""}};
        t.grants = {{"authenticated", "INSERT, UPDATE, DELETE", ""}, {"authenticated", "SELECT", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "pack_stats";
        t.columns = {
            Col("pack_id", "uuid", "PRIMARY KEY").From("product_stats.product_id", "v.pack_id"),
            Col("views", "bigint", "NOT NULL DEFAULT 0").From("product_stats.views", "v.views"),
            Col("downloads", "bigint", "NOT NULL DEFAULT 0").From("product_stats.downloads", "v.downloads"),
            Col("favorites_count", "bigint", "NOT NULL DEFAULT 0")
                .From("product_stats.favorites_count", "v.favorites_count"),
            Col("last_viewed_at", "timestamptz").From("product_stats.last_viewed_at", "v.last_viewed_at"),
            Col("updated_at", "timestamptz").From("product_stats.updated_at", "v.updated_at"),
            LegacyJson(),
            RunId(),
        };
        t.foreign_keys = {{"pack_id", "packs", "id", OnDelete::kCascade, false, ""}};
        t.provenance = "migration_run_id";
        t.policies = {{"pack_stats_read_published", "SELECT", "anon, authenticated",
                       "EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = 'published')", ""},
                      {"pack_stats_admin_read", "SELECT", "authenticated", "$admin", ""}};
        AdminWrites(t);
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "ai_tools";
        t.columns = {
            Col("id", "bigint", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
            Col("slug", "text COLLATE \"C\"", "NOT NULL UNIQUE"),
            Col("name", "text", "NOT NULL"),
            Col("provider", "text"),
            Col("model", "text"),
            // In ai_tool_secrets since shape step 4.
            Col("config", "jsonb", "NOT NULL DEFAULT '{}'").Secret(Secrecy::kSecret).Until(4),
            Col("is_active", "boolean", "NOT NULL DEFAULT true"),
            Col("daily_quota", "integer", "CHECK (daily_quota >= 0)"),
            Col("input_price_per_1k", "numeric", "NOT NULL DEFAULT 0 CHECK (input_price_per_1k >= 0)"),
            Col("output_price_per_1k", "numeric", "NOT NULL DEFAULT 0 CHECK (output_price_per_1k >= 0)"),
            Col("created_at", "timestamptz", "NOT NULL DEFAULT now()"),
        };
        t.identity = "id";
        // The policy column.
        t.indexes = {{"ai_tools_is_active_idx", false, "(is_active)"}};
        t.audited = true;
        t.policies = {{"ai_tools_read_active", "SELECT", "authenticated", "is_active", ""},
                      {"ai_tools_admin_read", "SELECT", "authenticated", "$admin", ""},
                      {"ai_tools_admin_insert", "INSERT", "authenticated", "", "$admin"},
                      {"ai_tools_admin_update", "UPDATE", "authenticated", "$admin", "$admin"},
                      {"ai_tools_admin_delete", "DELETE", "authenticated", "$admin", ""}};
        t.grants = {{"authenticated", "INSERT, UPDATE, DELETE", ""}, {"authenticated", "SELECT", ""}};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "ai_usage";
        t.role = TableRole::kMetering;
        t.columns = {
            Col("id", "bigint", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
            Col("user_id", "uuid"),
            Col("tool_id", "bigint", "NOT NULL"),
            Col("input_tokens", "integer", "NOT NULL DEFAULT 0"),
            Col("output_tokens", "integer", "NOT NULL DEFAULT 0"),
            Col("cost", "numeric", "NOT NULL DEFAULT 0"),
            Col("request_id", "text", "UNIQUE"),
            Col("source_table", "text"),
            Col("source_record", "text"),
            Col("metadata", "jsonb"),
            Col("created_at", "timestamptz", "NOT NULL DEFAULT now()"),
        };
        t.identity = "id";
        t.indexes = {{"ai_usage_quota_idx", false, "(user_id, tool_id, created_at)"}};
        t.foreign_keys = {{"user_id", "users", "id", OnDelete::kSetNull, true, ""},
                          {"tool_id", "ai_tools", "id", OnDelete::kNoAction, true, ""}};
        t.policies = {{"ai_usage_read_own", "SELECT", "authenticated", "user_id = $uid", ""},
                      {"ai_usage_admin_read", "SELECT", "authenticated", "$admin", ""}};
        t.grants = {{"authenticated", "SELECT", ""}};
        all.push_back(std::move(t));
    }
    {
        // Per tool, user (the nil uuid for none) and UTC day, the number of
        // ai_usage rows, kept by the metering under its lock so a quota check
        // reads one row; any other write to ai_usage empties it and the next
        // request recounts.
        V2Table t = Bookkeeping("ai_usage_daily",
                                {Col("tool_id", "bigint", "NOT NULL"), Col("user_key", "uuid", "NOT NULL"),
                                 Col("day", "date", "NOT NULL"), Col("used", "bigint", "NOT NULL")},
                                "the AI quota ledger");
        t.role = TableRole::kLedger;
        t.constraints = {"PRIMARY KEY (tool_id, user_key, day)"};
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "admin_logs";
        t.role = TableRole::kLog;
        t.columns = {
            Col("id", "bigint", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                .From("admin_logs.id", "v.id", kExtension),
            Col("actor_id", "uuid").From("admin_logs.admin_id", "v.actor_id", kExtension),
            Col("actor_role", "text").Own(kExtension),
            Col("action", "text", "NOT NULL").From("admin_logs.action", "v.action", kExtension),
            Col("table_name", "text").From("admin_logs.target_type", "v.table_name", kExtension),
            Col("record_id", "text").From("admin_logs.target_id", "v.record_id", kExtension),
            Col("old_data", "jsonb").Own(kExtension).Secret(Secrecy::kPersonal),
            Col("new_data", "jsonb").Own(kExtension).Secret(Secrecy::kPersonal),
            Col("details", "jsonb").From("admin_logs.details", "v.details", kExtension),
            Col("txid", "bigint").Own(kExtension),
            // legacy, trigger or migration (no CHECK: it would be re-parsed for every audit row)
            Col("source", "text", "NOT NULL DEFAULT 'trigger'").From("", "", kExtension),
            Col("created_at", "timestamptz", "DEFAULT now()").From("admin_logs.created_at", "v.created_at", kExtension),
            LegacyJson(),
            RunId(),
        };
        // Its primary key only: every audited write pays for each index on it.
        t.identity = "id";
        t.identity_legacy = "admin_logs";
        t.provenance = "migration_run_id";
        t.policies = {{"admin_logs_admin_read", "SELECT", "authenticated", "$admin", ""}};
        t.grants = {{"authenticated", "SELECT", ""}};
        // Append-only for everyone.
        t.service_role = "SELECT, INSERT";
        all.push_back(std::move(t));
    }
    {
        V2Table t;
        t.name = "trending_ideas";
        t.columns = {
            Col("id", "integer", "GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY").From("trending_ideas.id", "v.id"),
            Col("title", "text", "NOT NULL").From("trending_ideas.title", "v.title"),
            Col("slug", "text COLLATE \"C\"", "UNIQUE").Own(kSlug),
            Col("description", "text").From("trending_ideas.description", "v.description"),
            Col("category_id", "integer").From("trending_ideas.category", ""),
            Col("category_label", "text").From("trending_ideas.category", "v.category_label"),
            Col("score", "numeric").From("trending_ideas.score", "v.score"),
            Col("source", "text").From("trending_ideas.source", "v.source"),
            Col("data", "jsonb").From("trending_ideas.metadata", "v.data"),
            Col("created_at", "timestamptz", "DEFAULT now()").From("trending_ideas.created_at", "v.created_at"),
            LegacyJson(),
            RunId(),
        };
        t.foreign_keys = {{"category_id", "categories", "id", OnDelete::kSetNull, true, ""}};
        t.identity = "id";
        t.identity_legacy = "trending_ideas";
        t.slug_column = "slug";
        t.slug_fallback = "idea";
        t.slug_allocated = true;
        t.provenance = "migration_run_id";
        t.policies = {{"trending_ideas_read", "SELECT", "authenticated", "true", ""}};
        AdminWrites(t);
        t.grants = {{"authenticated", "INSERT, UPDATE, DELETE", ""}, {"authenticated", "SELECT", ""}};
        all.push_back(std::move(t));
    }
    // -- Since 0.2.0 ---------------------------------------------------------
    {
        V2Table t = Bookkeeping("shape_steps",
                                {Col("step", "integer", "PRIMARY KEY"), Col("name", "text", "NOT NULL"),
                                 Col("applied_at", "timestamptz", "NOT NULL DEFAULT clock_timestamp()"),
                                 Col("applied_by", "text", "NOT NULL DEFAULT current_user")},
                                "the shape steps applied to this target (docs/architecture.md)");
        t.since = 2;
        for (V2Column& c : t.columns) c.since = 2;
        all.push_back(std::move(t));
    }
    {
        // A pack's file URL, apart from the pack so that `select *` on packs
        // shows nothing gated: one row per pack, written with it by the
        // products mapping, readable under row level security only by those
        // who may have the file (docs/security.md, "The role matrix").
        V2Table t;
        t.name = "pack_files";
        t.since = 4;
        t.columns = {
            Col("pack_id", "uuid", "PRIMARY KEY"),
            Col("file_url", "text").From("products.file_url", "v.file_url").Secret(Secrecy::kGated),
        };
        t.foreign_keys = {{"pack_id", "packs", "id", OnDelete::kCascade, false, ""}};
        t.side_of = "packs";
        t.side_key = "pack_id";
        // Not audited by default (the default list is the contract's);
        // dskv2_audit_enable('pack_files') adds it.
        t.policies = {{"pack_files_read_free", "SELECT", "anon, authenticated",
                       "EXISTS (SELECT 1 FROM $target.packs p WHERE p.id = pack_id AND p.status = 'published' "
                       "AND NOT p.is_premium)",
                       ""},
                      {"pack_files_read_owned", "SELECT", "authenticated",
                       "EXISTS (SELECT 1 FROM $target.user_packs up WHERE up.pack_id = pack_files.pack_id AND "
                       "up.user_id = $uid)",
                       ""},
                      {"pack_files_admin_read", "SELECT", "authenticated", "$admin", ""}};
        AdminWrites(t);
        t.grants = {{"anon, authenticated", "SELECT", ""}, {"authenticated", "INSERT, UPDATE, DELETE", ""}};
        all.push_back(std::move(t));
    }
    {
        // An AI tool's configuration (provider keys): for service_role only.
        V2Table t;
        t.name = "ai_tool_secrets";
        t.since = 4;
        t.columns = {
            Col("tool_id", "bigint", "PRIMARY KEY"),
            Col("config", "jsonb", "NOT NULL DEFAULT '{}'").Secret(Secrecy::kSecret),
        };
        t.foreign_keys = {{"tool_id", "ai_tools", "id", OnDelete::kCascade, false, ""}};
        all.push_back(std::move(t));
    }
    // Policy names: <table>_admin_read / _admin_<command> where not named.
    for (V2Table& t : all) {
        for (Policy& p : t.policies) {
            if (!p.name.empty()) continue;
            static std::deque<std::string> names;  // owns the generated names (built once; never moved)
            std::string cmd;
            for (char ch : p.command) cmd.push_back(static_cast<char>(ch - 'A' + 'a'));
            names.push_back(std::string(t.name) + (cmd == "select" ? "_admin_read" : "_admin_" + cmd));
            p.name = names.back();
        }
    }
    return all;
}

std::vector<LegacyTable> BuildLegacyTables() {
    using L = LegacyColumn;
    std::vector<LegacyTable> all;
    // Only the columns listed here are ever read from auth.users: no password
    // hash or token reaches V2, the quarantine or a log.
    all.push_back(
        {"users",
         LegacySchema::kAuth,
         "auth.users",
         "id",
         {L{"id", "uuid", true, false}, L{"email", "varchar(255)", true}, L{"raw_user_meta_data", "jsonb", false},
          L{"created_at", "timestamptz", false}, L{"updated_at", "timestamptz", false},
          L{"last_sign_in_at", "timestamptz", false}, L{"deleted_at", "timestamptz", false}},
         false});
    all.back().guarded = false;  // auth owns it: sign-ups go on after the switch
    all.back().auth_path = true;
    all.push_back(
        {"profiles",
         LegacySchema::kSource,
         "auth.users",
         "id",
         {L{"id", "uuid", true, false}, L{"full_name", "text", false}, L{"avatar_url", "text", false},
          L{"role", "text", false}, L{"subscription_status", "text", false}, L{"stripe_customer_id", "text", false},
          L{"created_at", "timestamptz", false}, L{"updated_at", "timestamptz", false}},
         true});
    all.back().auth_path = true;  // a sign-up's profile, written by its trigger
    all.push_back({"categories",
                   LegacySchema::kSource,
                   "categories",
                   "id",
                   {L{"id", "integer", true, false}, L{"name", "text", true, false}, L{"description", "text", false},
                    L{"icon", "text", false}, L{"created_at", "timestamptz", false}},
                   true});
    all.push_back(
        {"products",
         LegacySchema::kSource,
         "products",
         "id",
         {L{"id", "uuid", true, false}, L{"title", "text", true, false}, L{"description", "text", false},
          L{"price", "numeric(10,2)", false}, L{"category_id", "integer", false}, L{"thumbnail_url", "text", false},
          L{"file_url", "text", false}, L{"format", "text", false}, L{"language", "text", false},
          L{"is_premium", "boolean", false}, L{"is_published", "boolean", false}, L{"created_by", "uuid", false},
          L{"created_at", "timestamptz", false}, L{"updated_at", "timestamptz", false}},
         true});
    all.push_back({"samples",
                   LegacySchema::kSource,
                   "samples",
                   "id",
                   {L{"id", "integer", true, false}, L{"product_id", "uuid", true}, L{"title", "text", false},
                    L{"file_url", "text", true}, L{"file_type", "text", false}, L{"created_at", "timestamptz", false}},
                   true});
    all.push_back({"tags",
                   LegacySchema::kSource,
                   "tags",
                   "id",
                   {L{"id", "integer", true, false}, L{"product_id", "uuid", true}, L{"name", "text", true, false}},
                   true});
    all.push_back({"favorites",
                   LegacySchema::kSource,
                   "favorites",
                   "id",
                   {L{"id", "integer", true, false}, L{"user_id", "uuid", true}, L{"product_id", "uuid", true},
                    L{"created_at", "timestamptz", false}},
                   true});
    all.push_back({"product_stats",
                   LegacySchema::kSource,
                   "product_stats",
                   "product_id",
                   {L{"product_id", "uuid", true, false}, L{"views", "integer", false},
                    L{"downloads", "integer", false}, L{"favorites_count", "integer", false},
                    L{"last_viewed_at", "timestamptz", false}, L{"updated_at", "timestamptz", false}},
                   true});
    all.back().optional = true;
    all.push_back({"trending_ideas",
                   LegacySchema::kSource,
                   "trending_ideas",
                   "id",
                   {L{"id", "integer", true, false}, L{"title", "text", true, false}, L{"description", "text", false},
                    L{"category", "text", false}, L{"score", "numeric", false}, L{"source", "text", false},
                    L{"metadata", "jsonb", false}, L{"created_at", "timestamptz", false}},
                   true});
    all.back().optional = true;
    all.push_back({"admin_logs",
                   LegacySchema::kSource,
                   "admin_logs",
                   "id",
                   {L{"id", "integer", true, false}, L{"admin_id", "uuid", false}, L{"action", "text", true, false},
                    L{"target_type", "text", false}, L{"target_id", "text", false}, L{"details", "jsonb", false},
                    L{"ip_address", "text", false}, L{"created_at", "timestamptz", false}},
                   true});
    all.back().optional = true;
    return all;
}

std::vector<Edge> BuildEdges() {
    return {
        // child mapping, its relation, column, parent mapping, rejects orphans, parent migrated first
        {"products", "products", "category_id", "categories", false, true},
        {"products", "products", "created_by", "auth.users", false, false},  // a soft reference, not a parent
        {"samples", "samples", "product_id", "products", true, true},
        {"tags", "tags", "product_id", "products", true, true},
        {"favorites", "favorites", "user_id", "auth.users", true, true},
        {"favorites", "favorites", "product_id", "products", true, true},
        {"product_stats", "product_stats", "product_id", "products", true, true},
        {"trending_ideas", "trending_ideas", "category", "categories", false, true},  // matched by slug
    };
}

std::vector<ShapeStep> BuildShapeSteps() {
    return {
        {1, "base", "the tables of release 0.1.0", {}, {}, {}},
        {2, "shape_steps", "the target records the shape steps applied to it", {}, {}, {}},
        {3,
         "users_deleted_at",
         "users.deleted_at; a soft-deleted user is hidden from everyone but admins",
         {},
         {},
         {{"users", "users_read_own"}, {"users", "users_update_own"}}},
        {4,
         "hidden_values_apart",
         "packs.file_url moves to pack_files and ai_tools.config to ai_tool_secrets, so that select * shows "
         "nothing hidden",
         // Copied first without a lock (batches, below), then once more under
         // the tables' lock, which a live sync write waits for: nothing
         // written meanwhile is lost; then the columns go.
         {"LOCK TABLE @{tgt}.packs, @{tgt}.ai_tools IN SHARE ROW EXCLUSIVE MODE",
          "INSERT INTO @{tgt}.pack_files AS f (pack_id, file_url) SELECT p.id, p.file_url FROM @{tgt}.packs p "
          "ON CONFLICT (pack_id) DO UPDATE SET file_url = EXCLUDED.file_url WHERE f.file_url IS DISTINCT FROM "
          "EXCLUDED.file_url",
          "INSERT INTO @{tgt}.ai_tool_secrets AS s (tool_id, config) SELECT t.id, t.config FROM @{tgt}.ai_tools t "
          "ON CONFLICT (tool_id) DO UPDATE SET config = EXCLUDED.config WHERE s.config IS DISTINCT FROM "
          "EXCLUDED.config",
          "ALTER TABLE @{tgt}.packs DROP COLUMN IF EXISTS file_url",
          "ALTER TABLE @{tgt}.ai_tools DROP COLUMN IF EXISTS config"},
         {"INSERT INTO @{tgt}.pack_files (pack_id, file_url) SELECT p.id, p.file_url FROM @{tgt}.packs p WHERE "
          "NOT EXISTS (SELECT 1 FROM @{tgt}.pack_files f WHERE f.pack_id = p.id) ORDER BY p.id LIMIT 10000",
          "INSERT INTO @{tgt}.ai_tool_secrets (tool_id, config) SELECT t.id, t.config FROM @{tgt}.ai_tools t "
          "WHERE NOT EXISTS (SELECT 1 FROM @{tgt}.ai_tool_secrets s WHERE s.tool_id = t.id) ORDER BY t.id "
          "LIMIT 10000"},
         {}},
        {5,
         "legacy_secrets",
         "unknown legacy columns with a secret-like name are kept in <target>_private.legacy_secrets, readable by "
         "the owner only, never in legacy",
         {"CREATE TABLE IF NOT EXISTS @{private}.legacy_secrets (table_name text NOT NULL, key text NOT NULL, "
          "column_name text NOT NULL, value jsonb NOT NULL, PRIMARY KEY (table_name, key, column_name))",
          "ALTER TABLE @{private}.legacy_secrets ENABLE ROW LEVEL SECURITY",
          "REVOKE ALL ON @{private}.legacy_secrets FROM PUBLIC"},
         {},
         {}},
    };
}

}  // namespace

const V2Column* V2Table::Column(std::string_view column) const {
    for (const V2Column& c : columns) {
        if (c.name == column) return &c;
    }
    return nullptr;
}

std::string LegacyTable::Key() const {
    return schema == LegacySchema::kAuth ? "auth." + std::string(name) : std::string(name);
}

std::string LegacyTable::Qualified(std::string_view source) const {
    return schema == LegacySchema::kAuth ? "auth." + std::string(name) : std::string(source) + "." + std::string(name);
}

const LegacyColumn* LegacyTable::Column(std::string_view column) const {
    for (const LegacyColumn& c : columns) {
        if (c.name == column) return &c;
    }
    return nullptr;
}

const std::vector<V2Table>& V2Tables() {
    static const std::vector<V2Table> all = BuildV2Tables();
    return all;
}

const V2Table* FindV2Table(std::string_view name) {
    for (const V2Table& t : V2Tables()) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

const std::vector<LegacyTable>& LegacyTables() {
    static const std::vector<LegacyTable> all = BuildLegacyTables();
    return all;
}

const LegacyTable* FindLegacyTable(std::string_view key) {
    for (const LegacyTable& t : LegacyTables()) {
        if (t.Key() == key) return &t;
    }
    return nullptr;
}

const LegacyTable* FindLegacyTable(LegacySchema schema, std::string_view name) {
    for (const LegacyTable& t : LegacyTables()) {
        if (t.schema == schema && t.name == name) return &t;
    }
    return nullptr;
}

const std::vector<Edge>& Edges() {
    static const std::vector<Edge> all = BuildEdges();
    return all;
}

const std::vector<ShapeStep>& ShapeSteps() {
    static const std::vector<ShapeStep> all = BuildShapeSteps();
    return all;
}

int CurrentShape() { return ShapeSteps().back().number; }

std::string PrivateSchemaName(std::string_view target) {
    std::string name = std::string(target) + "_private";
    constexpr std::size_t kMaxBytes = 63;  // NAMEDATALEN - 1
    if (name.size() > kMaxBytes) {
        std::size_t cut = kMaxBytes;
        // Never in the middle of a character: back over continuation bytes.
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
        name.resize(cut);
    }
    return name;
}

const char* OnDeleteSql(OnDelete action) {
    switch (action) {
        case OnDelete::kCascade:
            return "CASCADE";
        case OnDelete::kSetNull:
            return "SET NULL";
        case OnDelete::kNoAction:
            break;
    }
    return "NO ACTION";
}

const char* TableRoleName(TableRole role) {
    switch (role) {
        case TableRole::kLog:
            return "log";
        case TableRole::kMetering:
            return "metering";
        case TableRole::kLedger:
            return "ledger";
        case TableRole::kBookkeeping:
            return "bookkeeping";
        case TableRole::kContent:
            break;
    }
    return "content";
}

const char* OwnerName(Owner owner) {
    switch (owner) {
        case Owner::kLegacy:
            return "legacy";
        case Owner::kExtension:
            return "dskv2";
        case Owner::kV2:
            break;
    }
    return "v2";
}

const char* SecrecyName(Secrecy secrecy) {
    switch (secrecy) {
        case Secrecy::kPersonal:
            return "personal";
        case Secrecy::kGated:
            return "gated";
        case Secrecy::kSecret:
            return "secret";
        case Secrecy::kInternal:
            return "internal";
        case Secrecy::kPublic:
            break;
    }
    return "public";
}

}  // namespace dskv2::core
