# What the benchmarks share to measure this build against the last release in
# one run (sourced, not run): the release's commit (extension/releases) is
# built in a git worktree and installed beside this build as an extension of
# its own name, RELEASE_EXT (dropskills_v2_010 for 0.1.0), with its own library
# ($libdir/RELEASE_EXT). A database then creates one or the other: the two
# libraries are never loaded by the same backend. The benchmarks run the same
# work on two copies of the same data, their rounds interleaved.
#   release_install         builds and installs it (needs the release's git history)
#   copy_db DB FROM EXT     a copy of database FROM (a template without the
#                           extension) with extension EXT: dropskills_v2 or RELEASE_EXT

read -r RELEASE_VERSION RELEASE_COMMIT < <(grep -v '^#' "$DSKV2_ROOT/extension/releases" | tail -n 1)
RELEASE_EXT=dropskills_v2_${RELEASE_VERSION//./}

release_install() {
    local tree=$DSKV2_ROOT/build-bench/release share lib
    if ! git -C "$DSKV2_ROOT" cat-file -e "${RELEASE_COMMIT}^{commit}" 2>/dev/null; then
        echo "this clone lacks the history of release $RELEASE_VERSION (commit $RELEASE_COMMIT)" >&2
        return 1
    fi
    rm -rf "$tree"; git -C "$DSKV2_ROOT" worktree prune
    git -C "$DSKV2_ROOT" worktree add --detach "$tree" "$RELEASE_COMMIT" >/dev/null 2>&1 || return 1
    make -C "$tree" -s -j"$(nproc)" >"$DSKV2_ROOT/build-bench/release-build.log" 2>&1 \
        || { tail -20 "$DSKV2_ROOT/build-bench/release-build.log"; return 1; }
    share=$(pg_config --sharedir)/extension
    lib=$(pg_config --pkglibdir)
    install -m 755 "$tree/dropskills_v2.so" "$lib/$RELEASE_EXT.so"
    sed -e "s/^default_version = .*/default_version = '$RELEASE_VERSION'/" \
        -e "s#^module_pathname = .*#module_pathname = '\$libdir/$RELEASE_EXT'#" \
        "$tree/dropskills_v2.control" >"$share/$RELEASE_EXT.control"
    # The release's script looks its members up by the extension's name.
    sed "s/extname = 'dropskills_v2'/extname = '$RELEASE_EXT'/g" \
        "$tree/extension/dropskills_v2--$RELEASE_VERSION.sql" >"$share/$RELEASE_EXT--$RELEASE_VERSION.sql"
    git -C "$DSKV2_ROOT" worktree remove --force "$tree" >/dev/null 2>&1
    git -C "$DSKV2_ROOT" worktree prune
}

copy_db() {  # copy_db DB FROM EXT
    # A database's own privileges are not copied from its template: the DBA's, as fixtures/supabase.sql gives them.
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 TEMPLATE $2" \
        -c "GRANT CREATE, CONNECT, TEMPORARY ON DATABASE $1 TO postgres" >/dev/null &&
        psql -qX -v ON_ERROR_STOP=1 -d "$1" -c "CREATE EXTENSION $3" >/dev/null
}
