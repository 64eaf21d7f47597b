# tokensim: build, deps, run, test, examples, bench, asan.
# CFLAGS and LDFLAGS are the user's (git's convention); project flags live in ALL_*.
# Variables that call pkg-config are recursive (=) so that they are expanded only
# after `make deps` has installed pkg-config and the libraries.

CC      ?= gcc
# -O3: 3.9 % fewer instructions a run-day than -O2 on the ten-year market
# campaign, the same numbers (no fast-math: IEEE semantics are kept;
# docs/performance.md)
CFLAGS  ?= -O3 -g
BUILD   ?= build
PKG_CONFIG ?= pkg-config
# "hdf5" resolves to the Open MPI build once libhdf5-openmpi-dev is installed: ask for serial
PKGS    = gsl hdf5-serial yaml-0.1 zlib libdeflate blosc

# the observation tables `tokensim summary` reads by default (data/observed)
DATADIR ?= $(CURDIR)/data
ALL_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -fopenmp -DTOKENSIM_DATADIR='"$(DATADIR)"' \
              -Icore -Imodels -Ioutput -Isim $(shell $(PKG_CONFIG) --cflags $(PKGS)) $(CFLAGS)
ALL_LDFLAGS = -fopenmp $(LDFLAGS)
# Link-time optimisation of the programs (tokensim, bench_floor): market runs
# 3-5 % faster (measured interleaved), the same numbers (docs/performance.md).
# The objects also carry ordinary code, which the test programs link without
# LTO. `make LTO=` for none.
LTO ?= -flto=auto -ffat-lto-objects
ALL_CFLAGS += $(LTO)
# libcsv (Debian's libcsv-dev) ships no pkg-config file
LDLIBS      = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lhdf5_hl -lcsv -lm
TEST_LDLIBS = $(LDLIBS) $(shell $(PKG_CONFIG) --libs cmocka)

# Debian packages: build, run time, tests. `make deps` installs the missing ones.
# The python3-* packages: tests/integration.sh's reading checks and `make examples`.
DEB_PACKAGES = make gcc libc6-dev pkg-config libgsl-dev libhdf5-dev zlib1g-dev libdeflate-dev hdf5-tools libyaml-dev \
               libcsv-dev libcmocka-dev gnuplot-nox libblosc-dev hdf5-filter-plugin-blosc-serial \
               python3-h5py python3-xarray python3-h5netcdf python3-numpy python3-matplotlib

# MPI=1: the Open MPI build in its own directory (sim/dist.c spreads the runs
# over the ranks; README, "Running on a cluster"). The default build needs no MPI.
ifeq ($(MPI),1)
CC    = mpicc
BUILD = build/mpi
ALL_CFLAGS   += -DTOKENSIM_MPI
DEB_PACKAGES += libopenmpi-dev openmpi-bin
endif

# the command line (sim/main.c, sim/cli*.c, sim/cmd_*.c) is the program's; the rest the library's
CLI_SRC := sim/main.c $(wildcard sim/cli*.c) $(wildcard sim/cmd_*.c)
LIB_SRC := $(filter-out $(CLI_SRC),$(wildcard core/*.c models/*.c output/*.c sim/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
TESTS   := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))

SCENARIO ?= scenarios/akash-history.yaml
RUN_ARGS ?= -n 100

all: $(BUILD)/tokensim

# made anew: `ar r` keeps the members of deleted or renamed sources
$(BUILD)/libtokensim.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tokensim: $(CLI_SRC:%.c=$(BUILD)/%.o) $(BUILD)/libtokensim.a
	$(CC) $(ALL_LDFLAGS) $(CFLAGS) $(LTO) -o $@ $^ $(LDLIBS)

$(BUILD)/bench_floor: $(BUILD)/bench/floor.o $(BUILD)/libtokensim.a
	$(CC) $(ALL_LDFLAGS) $(CFLAGS) $(LTO) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/libtokensim.a
	$(CC) $(ALL_LDFLAGS) $(if $(LTO),-fno-lto) -o $@ $^ $(TEST_LDLIBS)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests $(shell $(PKG_CONFIG) --cflags cmocka) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Install missing Debian packages when root; otherwise print the exact command.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	else \
	  echo "missing Debian packages:$$missing"; \
	  echo "run: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	fi

# Build, run the shipped scenario, print its summary, write its report (figures + index.html).
run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p results
	$(BUILD)/tokensim run $(SCENARIO) -o results/$(basename $(notdir $(SCENARIO))).h5 --force $(RUN_ARGS)
	$(BUILD)/tokensim summary results/$(basename $(notdir $(SCENARIO))).h5
	$(BUILD)/tokensim report results/$(basename $(notdir $(SCENARIO))).h5 -o results/$(basename $(notdir $(SCENARIO)))-report

# Unit tests (one cmocka binary per module, one per core at a time: tests/units.sh),
# then the command-line integration and bad-input (robustness) tests.
test: deps
	@$(MAKE) --no-print-directory all tests
	@fail=0; sh tests/units.sh $(TESTS) 2>&1 || fail=1; \
	echo "== tests/integration.sh"; sh tests/integration.sh $(BUILD)/tokensim 2>&1 || fail=1; \
	echo "== tests/cli.sh"; sh tests/cli.sh $(BUILD)/tokensim 2>&1 || fail=1; \
	echo "== tests/robustness.sh"; sh tests/robustness.sh $(BUILD)/tokensim 2>&1 || fail=1; \
	exit $$fail

tests: $(TESTS)

# examples/analysis.py (Debian's python3-xarray, python3-h5netcdf, python3-matplotlib) on a small
# run and comparison made here (20 runs, 540 days: the proposal acts on day 365); it must write both
# figures (examples/README.md).
EXAMPLES_OUT = $(BUILD)/examples
examples: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(EXAMPLES_OUT)
	rm -f $(EXAMPLES_OUT)/band.png $(EXAMPLES_OUT)/compare.png
	$(BUILD)/tokensim run scenarios/akash-2024.yaml -n 20 --days 540 --force --quiet -o $(EXAMPLES_OUT)/run.h5
	$(BUILD)/tokensim compare scenarios/akash-2024.yaml scenarios/proposals/inflation-cut-2025.yaml \
	  -n 20 --days 540 --force --quiet -o $(EXAMPLES_OUT)/compare.h5 >/dev/null
	/usr/bin/python3 examples/analysis.py $(EXAMPLES_OUT)/run.h5 $(EXAMPLES_OUT)/compare.h5 $(EXAMPLES_OUT)
	test -s $(EXAMPLES_OUT)/band.png && test -s $(EXAMPLES_OUT)/compare.png

# The reports of a run, a comparison and a sweep in headless Chromium: every
# image renders; screenshots under /tmp/tokensim-browser (tests/browser.sh).
test-browser: deps
	@$(MAKE) --no-print-directory all
	sh tests/browser.sh $(BUILD)/tokensim 2>&1

# BENCH_BIN=path times another build of tokensim (the floor stays this build's)
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bench_floor
	sh tests/bench.sh $(or $(BENCH_BIN),$(BUILD)/tokensim) $(BUILD)/bench_floor

# The market in cohorts against the exact market: 200 five-year and 100 ten-year
# paired runs of akash-2024, the bias table of docs/model.md §9.4, and a failure
# when a headline metric is off by more than 1 % and 2 standard errors (about 10 min).
check-cohorts: all
	sh tests/check_cohorts.sh $(BUILD)/tokensim

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then the tests
# (the statistical check of cohorts on 50 pairs instead of 100: this stage looks
# for memory errors, the plain one for bias).
asan:
	@TOKENSIM_TEST_COHORT_PAIRS=50 $(MAKE) --no-print-directory BUILD=build/asan LTO= \
	  CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	  LDFLAGS='-fsanitize=address,undefined' test

# The MPI build against the serial one: mpirun -np 1, 2, 3 give the serial file
# (run, sweep, compare), resume, interruption and a failing rank (tests/mpi.sh).
test-mpi:
	@$(MAKE) --no-print-directory MPI= deps all
	@$(MAKE) --no-print-directory MPI=1 deps all
	sh tests/mpi.sh build/tokensim build/mpi/tokensim 2>&1
.PHONY: test-mpi

# docs/validation.md: simulated against observed for akash-2024 and akash-history (200 runs each)
validation: all
	sh tests/validation.sh $(BUILD)/tokensim > docs/validation.md.tmp && mv docs/validation.md.tmp docs/validation.md

# scenarios/README.md = its hand-written head + the registry as a table
docs: all
	cat scenarios/README.md.in > scenarios/README.md
	$(BUILD)/tokensim params --markdown >> scenarios/README.md

# make install [PREFIX=/usr/local] [DESTDIR=]: the program in PREFIX/bin, the
# scenarios and data in PREFIX/share/tokensim (the installed program reads its
# observation tables there), the documents in PREFIX/share/doc/tokensim.
PREFIX ?= /usr/local
SHARE_DIR = $(DESTDIR)$(PREFIX)/share/tokensim
DOC_DIR = $(DESTDIR)$(PREFIX)/share/doc/tokensim
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE_DIR) $(DOC_DIR)
	install -m 755 $(BUILD)/tokensim $(DESTDIR)$(PREFIX)/bin/tokensim
	cp -R scenarios data $(SHARE_DIR)/
	install -m 644 README.md docs/*.md $(DOC_DIR)/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tokensim
	rm -rf $(SHARE_DIR) $(DOC_DIR)

clean:
	rm -rf build

include tests/fuzz/fuzz.mk

.PHONY: all deps run test tests test-browser examples bench check-cohorts asan docs validation install uninstall clean
.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
