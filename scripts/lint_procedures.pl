#!/usr/bin/perl
# Checks the procedures of src/sql/ (docs/security.md, "Pinned settings"): a
# procedure has no SET clause, so its code must not depend on the caller's
# search_path. In its body: every operator written OPERATOR(pg_catalog.op),
# every function qualified, nothing that looks an operator up by search_path
# (LIKE, IN (...), IS DISTINCT FROM, NULLIF, BETWEEN, a simple CASE), and every
# COMMIT followed by dskv2_pin_settings(). Prints one line per offence.
#   perl scripts/lint_procedures.pl FILE...
use strict;
use warnings;

# SQL syntax that calls no function found by search_path.
my %syntax = map { $_ => 1 } qw(coalesce greatest least exists array values in any all and or not
    cast row extract if when then while elsif return exit);

for my $file (@ARGV) {
    open my $in, '<', $file or die "$file: $!";
    my @lines = <$in>;
    close $in;
    next unless grep { /CREATE OR REPLACE PROCEDURE/ } @lines;
    my ($in_body, $pending_commit) = (0, 0);
    for my $i (0 .. $#lines) {
        my $line = $lines[$i];
        chomp $line;
        if (!$in_body) { $in_body = 1 if $line =~ /^AS \$\$$/; next }
        last if $line =~ /^\$\$;/;
        my $at = "$file:" . ($i + 1);
        my $code = $line;
        $code =~ s/'(?:[^']|'')*'/''/g;    # string literals
        $code =~ s/"(?:[^"]|"")*"/""/g;    # quoted identifiers
        $code =~ s/--.*$//;
        next if $code =~ /^\s*$/;
        if ($pending_commit) {
            print "$at: COMMIT not followed by dskv2_pin_settings()\n"
                unless $code =~ /^\s*PERFORM \@extschema\@\.dskv2_pin_settings\(\);/ || $code =~ /^\s*END\s*$/;
            $pending_commit = 0;
        }
        $pending_commit = 1 if $code =~ /^\s*COMMIT;/;
        $code =~ s/OPERATOR\(pg_catalog\.[^)]+\)/ /g;
        $code =~ s/\@extschema\@\./ext./g;
        $code =~ s/:=|=>|::|\.\.|\.\*|\(\*\)|SELECT \*|\$[0-9]+/ /g;
        $code =~ s/\b(?:ERRCODE|MESSAGE|DETAIL|HINT|e_state|e_message|e_detail|e_hint)\s*=(?!=)/ /g;    # RAISE USING, GET DIAGNOSTICS
        print "$at: bare operator $1\n" if $code =~ m{([-+*/<>=~!\@#%^&|?]+)};
        print "$at: looks an operator up by search_path: $1\n"
            if $code =~ /\b(LIKE|ILIKE|SIMILAR|BETWEEN|NULLIF|IS (?:NOT )?DISTINCT|IN \(|CASE \w+ WHEN)/i;
        while ($code =~ /(?<![.\w])([A-Za-z_]\w*)\s*\(/g) {
            print "$at: unqualified function $1\n" unless $syntax{ lc $1 };
        }
    }
}
