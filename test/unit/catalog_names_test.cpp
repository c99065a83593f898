// No table list outside the catalogue (docs/architecture.md, "The
// catalogue"): every place a source file outside the catalogue files names a
// catalogue table (V2 or legacy) is listed in test/unit/catalog_names.allow,
// with its count. A new occurrence fails here until it is either read from the
// catalogue instead, or (a statement about that one table, not a list)
// allowlisted; a stale allowlist line fails too.
#include "core/catalog.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace dskv2::core {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = DSKV2_SOURCE_DIR;

// The files that describe the catalogue: the only ones free to name tables.
const std::set<std::string> kCatalogueFiles = {"src/core/catalog.cpp", "src/core/mapping_rules.cpp"};

std::string Read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The file without its comments: `--` in SQL, `//` and `/* */` in C++.
std::string WithoutComments(const std::string& text, bool sql) {
    std::string out;
    std::istringstream lines(text);
    std::string line;
    bool block = false;
    while (std::getline(lines, line)) {
        std::string kept;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (block) {
                if (line.compare(i, 2, "*/") == 0) {
                    block = false;
                    ++i;
                }
                continue;
            }
            if (sql && line.compare(i, 2, "--") == 0) break;
            if (!sql && line.compare(i, 2, "//") == 0) break;
            if (!sql && line.compare(i, 2, "/*") == 0) {
                block = true;
                ++i;
                continue;
            }
            kept.push_back(line[i]);
        }
        out += kept + "\n";
    }
    return out;
}

bool WordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// How many times `word` stands in `text` as a whole word (letters, digits, _).
int WholeWords(const std::string& text, const std::string& word) {
    int n = 0;
    for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        const bool starts = at == 0 || !WordChar(text[at - 1]);
        const bool ends = at + word.size() == text.size() || !WordChar(text[at + word.size()]);
        if (starts && ends) ++n;
    }
    return n;
}

std::set<std::string> TableNames() {
    std::set<std::string> names;
    for (const V2Table& t : V2Tables()) names.emplace(t.name);
    for (const LegacyTable& t : LegacyTables()) names.emplace(t.name);
    return names;
}

// (file, table) -> occurrences, for every source file outside the catalogue.
std::map<std::pair<std::string, std::string>, int> Occurrences() {
    std::map<std::pair<std::string, std::string>, int> found;
    const std::set<std::string> names = TableNames();
    std::vector<fs::path> files;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(kRoot / "src")) {
        const std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".sql" || ext == ".cpp" || ext == ".hpp")) files.push_back(e.path());
    }
    for (const fs::path& p : files) {
        const std::string rel = fs::relative(p, kRoot).generic_string();
        if (kCatalogueFiles.count(rel)) continue;
        const std::string text = WithoutComments(Read(p), p.extension() == ".sql");
        for (const std::string& name : names) {
            const int n = WholeWords(text, name);
            if (n > 0) found[{rel, name}] = n;
        }
    }
    return found;
}

std::map<std::pair<std::string, std::string>, int> Allowed() {
    std::map<std::pair<std::string, std::string>, int> allowed;
    std::istringstream lines(Read(kRoot / "test/unit/catalog_names.allow"));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string file, name;
        int count = 0;
        fields >> file >> name >> count;
        allowed[{file, name}] = count;
    }
    return allowed;
}

TEST(CatalogNamesTest, NoTableNameOutsideTheCatalogueButTheAllowedOnes) {
    const auto found = Occurrences();
    const auto allowed = Allowed();
    ASSERT_FALSE(allowed.empty()) << "test/unit/catalog_names.allow is missing";
    for (const auto& [where, n] : found) {
        auto it = allowed.find(where);
        EXPECT_TRUE(it != allowed.end() && it->second == n)
            << where.first << " names table " << where.second << " " << n
            << " times (allowed: " << (it == allowed.end() ? 0 : it->second)
            << "): read it from the catalogue, or allow it in test/unit/catalog_names.allow\n"
            << "  " << where.first << " " << where.second << " " << n;
    }
    for (const auto& [where, n] : allowed) {
        EXPECT_TRUE(found.count(where)) << "stale line in test/unit/catalog_names.allow: " << where.first << " "
                                        << where.second << " " << n;
    }
}

}  // namespace
}  // namespace dskv2::core
