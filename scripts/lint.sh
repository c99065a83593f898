#!/usr/bin/env bash
# Static checks of the tree (TAP), run by scripts/test.sh:
#   - every reference to the docs resolves: `docs/<file>.md, "<Heading>"` in a
#     comment names an existing file and one of its headings; a Markdown link
#     `[..](<file>.md#<anchor>)` names an existing file and heading;
#   - nothing refers to a contract outside the repository;
#   - every SQL source starts with a comment saying what its object is;
#   - no absolute path of a machine in a tracked file;
#   - procedures call nothing by search_path and pin their settings after
#     every COMMIT (scripts/lint_procedures.pl);
#   - every identity switch in C (SetUserIdAndSecContext) is listed, with its
#     file and line, in docs/security.md, "Rights other than the caller's".
# The released install scripts of extension/ are left as released.
set -uo pipefail
cd "$(dirname "$0")/.."
source test/scenarios/tap.bash
plan 7

files=$(git ls-files | grep -v '^extension/dropskills_v2--[0-9.]*\.sql$' | grep -v 'package-lock.json')
# shellcheck disable=SC2086
refs=$(perl -ne 'while (m{(docs/[a-z_]+\.md)(?:,? "([^"]+)")?}g) { print "$ARGV\t$1\t", ($2 // ""), "\n" }' $files)
unresolved=$(echo "$refs" | while IFS=$'\t' read -r where doc heading; do
    [ -n "$doc" ] || continue
    if [ ! -f "$doc" ]; then echo "$where: $doc"; continue; fi
    [ -z "$heading" ] && continue
    perl -e 'my ($h, $f) = @ARGV; open my $in, "<", $f or exit 1; while (<$in>) { chomp; exit 0 if /^#+ \Q$h\E$/ } exit 1' \
        "$heading" "$doc" || echo "$where: $doc, \"$heading\""
done | sort -u)
is "$unresolved" "" "every docs/<file>.md, \"<Heading>\" reference names an existing file and heading"
[ -n "$unresolved" ] && echo "$unresolved" | sed 's/^/# /'

# Markdown links between the docs, the README and CONTRIBUTING.md, anchors included
# (GitHub's anchors: the heading lower-cased, punctuation but - and _ dropped, spaces as -).
broken=$(perl -e '
    use File::Basename; use File::Spec;
    sub anchors { my ($f) = @_; my %a; open my $h, "<", $f or return undef;
        while (<$h>) { next unless /^#+ (.*)/; my $s = lc $1; $s =~ s/`//g; $s =~ s/[^\w\- ]//g; $s =~ s/ /-/g; $a{$s} = 1 } \%a }
    for my $f (@ARGV) { open my $h, "<", $f or next; my $dir = dirname($f);
        while (my $line = <$h>) { while ($line =~ /\]\(([^)\s]+)\)/g) { my $t = $1; next if $t =~ m{^(https?:|mailto:)};
            my ($path, $anchor) = split /#/, $t, 2; my $target = $path eq "" ? $f : File::Spec->catfile($dir, $path);
            if (!-e $target) { print "$f: $t\n"; next }
            next unless defined $anchor && $target =~ /\.md$/; my $a = anchors($target);
            print "$f: $t\n" unless $a && $a->{$anchor} } } }' $(echo "$files" | grep -E '\.md$'))
is "$broken" "" "every Markdown link (file and anchor) of the docs resolves"
[ -n "$broken" ] && echo "$broken" | sed 's/^/# /'

# shellcheck disable=SC2086
outside=$(grep -nE 'SPEC\.md|STYLE\.md|SPEC §|\.\./shared/' $files | grep -v '^scripts/lint.sh:')
is "$outside" "" "nothing refers to a contract outside the repository"
[ -n "$outside" ] && echo "$outside" | head -10 | sed 's/^/# /'

uncommented=$(for f in $(echo "$files" | grep '^src/sql/.*\.sql$'); do head -n 1 "$f" | grep -q '^--' || echo "$f"; done)
is "$uncommented" "" "every SQL source starts with a comment saying what its object is"
[ -n "$uncommented" ] && echo "$uncommented" | sed 's/^/# /'

# shellcheck disable=SC2086
paths=$(grep -nE '(^|[^A-Za-z0-9_.])/(work|root)/' $files | grep -v '^scripts/lint.sh:')
is "$paths" "" "no absolute machine path in a tracked file"
[ -n "$paths" ] && echo "$paths" | head -10 | sed 's/^/# /'

# shellcheck disable=SC2086
unpinned=$(perl scripts/lint_procedures.pl $(echo "$files" | grep '^src/sql/.*\.sql$'))
is "$unpinned" "" "procedures pin their settings after every COMMIT and call nothing by search_path"
[ -n "$unpinned" ] && echo "$unpinned" | head -20 | sed 's/^/# /'
# Each call's line must appear in the row of its file: "`src/pg/x.cpp` lines 12 and 40".
unlisted=$(grep -n 'SetUserIdAndSecContext(' src/pg/*.cpp | grep -v '^[^:]*:[0-9]*: *//' | while IFS=: read -r file line _; do
    grep -E "^\| \`$file\` .*lines? ([0-9]+(, | and ))*$line([^0-9]|$)" docs/security.md >/dev/null || echo "$file:$line"
done)
is "$unlisted" "" "every identity switch in C is listed with its file and line in docs/security.md"
[ -n "$unlisted" ] && echo "$unlisted" | sed 's/^/# /'
finish
