# dropskills_v2: the PGXS build (the canonical one for the extension).
#   make && make install && make installcheck   pg_regress on sql/ + expected/
#   make prove                                  the pgTAP scenarios in test/ and test/attacks/
#   make unit                                   the pure C++ core's GoogleTest suite (CMake/CTest)
#   make check-version                          control file agrees with META.json
#   make upgradecheck                           the last release, live, upgraded to this build
#   make format / make check-format             clang-format the C++ sources / check they are
#   make mutationcheck                          every patch of test/mutations/ caught by its tests

EXTENSION = dropskills_v2
EXTVERSION := $(shell sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1)

MODULE_big = dropskills_v2
CORE_SRCS := $(sort $(wildcard src/core/*.cpp))
PG_SRCS := $(sort $(wildcard src/pg/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# The SQL of the extension: one object per file under src/sql/ (see
# CONTRIBUTING.md, "SQL sources"). The scripts of the version being built are
# assembled from them; those of released versions are frozen in extension/.
#   RELEASES      released versions, oldest first (extension/releases): for
#                 each, extension/$(EXTENSION)--V.sql is its install script as released
#   install       types, routines, views, privileges, with OR REPLACE removed
#   update A--V   for every released A: the hand-written changes of each release
#                 since A (src/sql/updates/), then every routine and view again
#                 (OR REPLACE: each gets its latest body), then the privileges,
#                 then the gate that refuses an untrusted target
RELEASES := $(shell sed -n 's/^\([0-9][0-9.]*\) .*/\1/p' extension/releases)
SQL_DIRS = settings text catalog schema migration verification triggers switch security
SQL_OBJECTS := $(foreach d,$(SQL_DIRS),$(sort $(wildcard src/sql/$(d)/*.sql)))
# A SQL-language function is checked against the objects it calls when it is
# created, so those come after the rest.
SQL_LATE := $(shell grep -l '^LANGUAGE sql' $(SQL_OBJECTS))
SQL_ROUTINES := $(filter-out $(SQL_LATE),$(SQL_OBJECTS)) $(SQL_LATE)
SQL_TYPES := $(sort $(wildcard src/sql/types/*.sql))
SQL_VIEWS := $(sort $(wildcard src/sql/views/*.sql))
SQL_PRIVILEGES = src/sql/privileges.sql
# The last statement of an update script: no untrusted target is adopted.
SQL_UPDATE_GATE = src/sql/update_gate.sql
SQL_INSTALL = extension/$(EXTENSION)--$(EXTVERSION).sql
SQL_UPDATES = $(foreach a,$(RELEASES),extension/$(EXTENSION)--$(a)--$(EXTVERSION).sql)
# The hand-written change files from release $(1) to the version being built.
CHANGES_FROM = $(shell set -- $(RELEASES) $(EXTVERSION); while [ -n "$$1" ] && [ "$$1" != "$(1)" ]; do shift; done; \
                 while [ -n "$$2" ]; do echo src/sql/updates/$$1--$$2.sql; shift; done)

DATA = $(foreach v,$(RELEASES),extension/$(EXTENSION)--$(v).sql)
DATA_built = $(SQL_INSTALL) $(SQL_UPDATES)

# Explicit list: never a wildcard that could catch install scripts.
REGRESS = install text_slugify text_sample_type encoding boundary catalog migrate triggers plain
REGRESS_OPTS = --inputdir=. --outputdir=.

PG_CPPFLAGS = -I$(CURDIR)/src
PG_CXXFLAGS = -std=c++17 -Wno-register -fPIC -Wno-missing-field-initializers
SHLIB_LINK = -lstdc++

EXTRA_CLEAN = results regression.diffs regression.out build-unit

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Debian's PGXS also emits LLVM bitcode with clang, which defaults to C++14.
COMPILE.cxx.bc += $(PG_CXXFLAGS)

$(OBJS): $(wildcard src/core/*.hpp src/core/*.inc src/pg/*.hpp)

# The Makefile is a prerequisite too: a change of how they are assembled assembles them again.
$(SQL_INSTALL): $(SQL_TYPES) $(SQL_ROUTINES) $(SQL_VIEWS) $(SQL_PRIVILEGES) META.json Makefile
	{ printf -- '-- $(EXTENSION) $(EXTVERSION): install script, assembled from src/sql/ by the Makefile (do not edit).\n'; \
	  printf '\\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \\quit\n'; \
	  for f in $(filter %.sql,$^); do printf '\n-- %s\n' "$$f"; sed 's/^CREATE OR REPLACE /CREATE /' "$$f"; done; } > $@

define UPDATE_RULE
extension/$(EXTENSION)--$(1)--$(EXTVERSION).sql: $(call CHANGES_FROM,$(1)) $(SQL_ROUTINES) $(SQL_VIEWS) $(SQL_PRIVILEGES) $(SQL_UPDATE_GATE) META.json Makefile
	{ printf -- '-- $(EXTENSION) $(1) -> $(EXTVERSION): update script, assembled from src/sql/ by the Makefile (do not edit).\n'; \
	  printf '\\echo Use "ALTER EXTENSION $(EXTENSION) UPDATE TO '"'"'$(EXTVERSION)'"'"'" to load this file. \\quit\n'; \
	  for f in $$(filter %.sql,$$^); do printf '\n-- %s\n' "$$$$f"; cat "$$$$f"; done; } > $$@
endef
$(foreach a,$(RELEASES),$(eval $(call UPDATE_RULE,$(a))))

.PHONY: prove unit check-version format check-format upgradecheck mutationcheck

# The last release, live, upgraded to this build (test/upgrade/upgradecheck.sh);
# needs the git history of that release.
upgradecheck:
	prove test/upgrade/upgradecheck.sh

# Every deliberate bug of test/mutations/ is caught by the tests beside it
# (test/mutations/run.sh); builds in build-mutation/, a private PostgreSQL.
mutationcheck:
	prove test/mutations/run.sh

prove:
	pg_prove --failures --ext .sql test/ test/attacks/
	prove test/scenarios/*.sh test/attacks/*.sh

unit:
	cmake -S . -B build-unit -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-unit -j2
	cd build-unit && ctest --output-on-failure

check-version: $(SQL_INSTALL)
	@control=$$(sed -n "s/^default_version = '\([^']*\)'/\1/p" $(EXTENSION).control); \
	if [ -z "$(EXTVERSION)" ] || [ "$$control" != "$(EXTVERSION)" ]; then \
		echo "version mismatch: META.json '$(EXTVERSION)' vs $(EXTENSION).control '$$control'"; exit 1; fi; \
	provides=$$(sed -n 's/^            "version": "\([^"]*\)".*/\1/p' META.json); \
	if [ "$$provides" != "$(EXTVERSION)" ] || ! grep -q '"file": "extension/$(EXTENSION)--$(EXTVERSION).sql"' META.json; then \
		echo "META.json: provides.$(EXTENSION) must name version $(EXTVERSION) and its install script"; exit 1; fi; \
	if [ ! -f extension/$(EXTENSION)--$(EXTVERSION).sql ]; then \
		echo "missing extension/$(EXTENSION)--$(EXTVERSION).sql"; exit 1; fi; \
	echo "version $(EXTVERSION): META.json, control file and install script agree"

CXX_SOURCES = $(wildcard src/core/*.hpp src/core/*.cpp src/pg/*.hpp src/pg/*.cpp test/unit/*.cpp fuzz/*.cpp)

format:
	clang-format -i $(CXX_SOURCES)

# What CI checks: every C++ source as `make format` leaves it.
check-format:
	clang-format --dry-run --Werror $(CXX_SOURCES)
