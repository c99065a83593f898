// Unit tests of the pure trigger helpers (docs/triggers.md, "Audit trail"): claims, uuids, secret
// column names, record ids.
#include "core/audit.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace core = dskv2::core;

TEST(Claims, PostgrestClaims) {
    const core::Claims c = core::ParseClaims(
        R"({"aud":"authenticated","exp":1893456000,"sub":"8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b",)"
        R"("email":"a@b.fr","role":"authenticated","app_metadata":{"provider":"email","providers":["email"]},)"
        R"("user_metadata":{},"is_anonymous":false})");
    ASSERT_TRUE(c.has_sub);
    EXPECT_EQ(c.sub, "8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b");
    ASSERT_TRUE(c.has_role);
    EXPECT_EQ(c.role, "authenticated");
}

TEST(Claims, NestedSubIsNotTheSubject) {
    const core::Claims c = core::ParseClaims(R"({"app":{"sub":"x","role":"admin"}})");
    EXPECT_FALSE(c.has_sub);
    EXPECT_FALSE(c.has_role);
}

TEST(Claims, LastMemberWinsAsInJsonb) {
    core::Claims c = core::ParseClaims(R"({"role":"anon","role":"service_role"})");
    EXPECT_EQ(c.role, "service_role");
    c = core::ParseClaims(R"({"sub":"a","sub":5})");
    EXPECT_FALSE(c.has_sub);
}

TEST(Claims, NonStringMembersAreIgnored) {
    const core::Claims c = core::ParseClaims(R"({"sub":123,"role":null})");
    EXPECT_FALSE(c.has_sub);
    EXPECT_FALSE(c.has_role);
}

TEST(Claims, EscapesAreDecoded) {
    const core::Claims c = core::ParseClaims(R"({"role":"a\"b\\c\/d\u00e9\ud83d\ude00"})");
    ASSERT_TRUE(c.has_role);
    EXPECT_EQ(c.role, "a\"b\\c/d\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(Claims, MalformedGivesNothing) {
    const std::vector<std::string> bad = {
        "",
        "   ",
        "null",
        "[]",
        R"("sub")",
        R"({"sub":"8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b")",     // unterminated
        R"({"sub":"8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b"} x)",  // trailing garbage
        R"({"sub":"8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b",})",   // trailing comma
        R"({sub:"x"})",                                         // unquoted key
        R"({'sub':'x'})",                                       // single quotes
        R"({"role":"a\u00"})",                                  // short escape
        R"({"role":"\ud83d"})",                                 // lone surrogate
        R"({"role":"\u0000"})",                                 // NUL
        R"({"role":"a\qb"})",                                   // unknown escape
        "{\"role\":\"a\nb\"}",                                  // raw control character
        R"({"n":01})",                                          // leading zero
        R"({"n":1.})",                                          // bare dot
        R"({"n":-})",
        R"({"b":tru})",
    };
    for (const std::string& json : bad) {
        const core::Claims c = core::ParseClaims(json);
        EXPECT_FALSE(c.has_sub) << json;
        EXPECT_FALSE(c.has_role) << json;
    }
}

TEST(Claims, DepthIsBounded) {
    std::string deep = R"({"role":"x","a":)";
    for (int i = 0; i < 100; ++i) deep += "[";
    for (int i = 0; i < 100; ++i) deep += "]";
    deep += "}";
    EXPECT_FALSE(core::ParseClaims(deep).has_role);
    std::string shallow = R"({"role":"x","a":)";
    for (int i = 0; i < 10; ++i) shallow += "[";
    for (int i = 0; i < 10; ++i) shallow += "]";
    shallow += "}";
    EXPECT_TRUE(core::ParseClaims(shallow).has_role);
}

TEST(Claims, NumbersAndLiterals) {
    const core::Claims c =
        core::ParseClaims(R"( { "n" : -0.5e+10 , "t" : true , "f" : false , "z" : null , "role" : "r" } )");
    EXPECT_TRUE(c.has_role);
}

TEST(Uuid, AcceptedForms) {
    EXPECT_TRUE(core::IsUuid("8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b"));
    EXPECT_TRUE(core::IsUuid("8F14E45F-CEEA-4E7A-9F0B-1C2D3E4F5A6B"));
    EXPECT_TRUE(core::IsUuid("{8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b}"));
    EXPECT_TRUE(core::IsUuid("8f14e45fceea4e7a9f0b1c2d3e4f5a6b"));
}

TEST(Uuid, RefusedForms) {
    EXPECT_FALSE(core::IsUuid(""));
    EXPECT_FALSE(core::IsUuid("anon"));
    EXPECT_FALSE(core::IsUuid("8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6"));
    EXPECT_FALSE(core::IsUuid("8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6bb"));
    EXPECT_FALSE(core::IsUuid("8f14e45fxceea-4e7a-9f0b-1c2d3e4f5a6b"));
    EXPECT_FALSE(core::IsUuid("8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6g"));
    EXPECT_FALSE(core::IsUuid("{8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b"));
    EXPECT_FALSE(core::IsUuid(" 8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b"));
}

TEST(SecretColumn, Secrets) {
    for (const char* name :
         {"password", "encrypted_password", "Password_Hash", "passwd", "client_secret", "confirmation_token",
          "refresh_token", "Token", "token_hash", "api_key", "openai_apikey", "aws_access_key", "private_key_pem",
          "credentials", "salt", "user_otp", "otp_code", "pin"}) {
        EXPECT_TRUE(core::IsSecretColumn(name)) << name;
    }
}

TEST(SecretColumn, NotSecrets) {
    for (const char* name : {"id", "email", "full_name", "slug", "input_tokens", "output_tokens", "pinned", "hotpot",
                             "salted_caramel_flavour", "description", "tokenizer"}) {
        EXPECT_FALSE(core::IsSecretColumn(name)) << name;
    }
}

TEST(RecordId, SingleAndComposite) {
    EXPECT_EQ(core::RecordId({"42"}), "42");
    EXPECT_EQ(core::RecordId({"8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b", "7"}),
              R"(["8f14e45f-ceea-4e7a-9f0b-1c2d3e4f5a6b","7"])");
    EXPECT_EQ(core::RecordId({"a\"b", "c\\d\n"}), R"(["a\"b","c\\d\n"])");
    EXPECT_EQ(core::RecordId({"", ""}), R"(["",""])");
}

TEST(JsonString, ControlCharacters) {
    std::string out;
    core::AppendJsonString(out, std::string("\x01\x1f", 2));
    EXPECT_EQ(out, "\"\\u0001\\u001f\"");
}
