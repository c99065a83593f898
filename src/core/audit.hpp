// Pure pieces of the native triggers (docs/triggers.md, "Audit trail"): who is acting, which columns
// hold secrets, how a primary key is written as record_id.
#pragma once

#include "core/pg_free.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dskv2::core {

// The members of a JWT claims object the triggers read (PostgREST puts the
// whole object in the setting request.jwt.claims).
struct Claims {
    bool has_sub = false;
    std::string sub;  // the "sub" member, when it is a JSON string
    bool has_role = false;
    std::string role;  // the "role" member, when it is a JSON string
};

// Parses `json` as one JSON document (RFC 8259, nesting at most 64 deep) and
// returns its top-level "sub" and "role" string members (the last one wins, as
// in jsonb). Anything malformed, or not an object, yields empty claims: a bad
// claim never raises.
Claims ParseClaims(std::string_view json) noexcept;

// True for the textual forms of a uuid PostgreSQL reads: 8-4-4-4-12 or 32 hex
// digits, any case, optionally within braces.
bool IsUuid(std::string_view text) noexcept;

// True for a column whose values must never reach admin_logs: a name that
// contains password, passwd, secret, api_key, apikey, access_key,
// private_key or credential, or that has token, salt, otp or pin as a whole word
// (words split by anything but [a-z0-9]), case-insensitively.
bool IsSecretColumn(std::string_view name) noexcept;

// record_id of a row: the key's text when the key has one column, else a JSON
// array of the key texts (["<pack_id>","<tag_id>"]).
std::string RecordId(const std::vector<std::string>& key_texts);

// `text` as a JSON string literal (quotes, escapes; control characters as \u00XX).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace dskv2::core
