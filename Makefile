# dropskills_v2: the PGXS build (the canonical one for the extension).
#   make && make install && make installcheck   pg_regress on sql/ + expected/
#   make prove                                  the pgTAP scenarios in test/ (pg_prove)
#   make unit                                   the pure C++ core's GoogleTest suite (CMake/CTest)
#   make check-version                          control file agrees with META.json

EXTENSION = dropskills_v2
EXTVERSION := $(shell sed -n 's/^    "version": "\([^"]*\)".*/\1/p' META.json | head -n 1)

MODULE_big = dropskills_v2
CORE_SRCS := $(sort $(wildcard src/core/*.cpp))
PG_SRCS := $(sort $(wildcard src/pg/*.cpp))
OBJS = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

DATA = $(sort $(wildcard extension/dropskills_v2--*.sql))

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

.PHONY: prove unit check-version format

prove:
	pg_prove --failures --ext .sql test/
	prove test/scenarios/*.sh

unit:
	cmake -S . -B build-unit -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-unit -j2
	cd build-unit && ctest --output-on-failure

check-version:
	@control=$$(sed -n "s/^default_version = '\([^']*\)'/\1/p" $(EXTENSION).control); \
	if [ -z "$(EXTVERSION)" ] || [ "$$control" != "$(EXTVERSION)" ]; then \
		echo "version mismatch: META.json '$(EXTVERSION)' vs $(EXTENSION).control '$$control'"; exit 1; fi; \
	provides=$$(sed -n 's/^            "version": "\([^"]*\)".*/\1/p' META.json); \
	if [ "$$provides" != "$(EXTVERSION)" ] || ! grep -q '"file": "extension/$(EXTENSION)--$(EXTVERSION).sql"' META.json; then \
		echo "META.json: provides.$(EXTENSION) must name version $(EXTVERSION) and its install script"; exit 1; fi; \
	if [ ! -f extension/$(EXTENSION)--$(EXTVERSION).sql ]; then \
		echo "missing extension/$(EXTENSION)--$(EXTVERSION).sql"; exit 1; fi; \
	echo "version $(EXTVERSION): META.json, control file and install script agree"

format:
	clang-format -i $(wildcard src/core/*.hpp src/core/*.cpp src/pg/*.hpp src/pg/*.cpp test/unit/*.cpp fuzz/*.cpp)
