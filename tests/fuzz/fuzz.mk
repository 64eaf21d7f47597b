# libFuzzer harnesses (included by the Makefile): the scenario loader, --set
# and CSV tables (libcsv, through the price series reader: tests/fuzz/fuzz_csv.c).
#   make fuzz                      build, then fuzz each harness FUZZ_SECONDS (60) seconds
#   make fuzz FUZZ_SECONDS=600     longer
#   make fuzz-build                build only: build/fuzz/fuzz_scenario, fuzz_set, fuzz_csv
# Needs clang and libFuzzer's runtime (Debian 12: clang-14 and libclang-rt-14-dev).
# The harnesses and the library sources they test are built with ASan and UBSan;
# libyaml is Debian's, uninstrumented. The working corpus grows in build/fuzz/corpus
# (seeded from scenarios/, tests/fixtures/ and tests/fuzz/corpus/); a crash leaves
# its input in build/fuzz/artifacts/ and fails the target. Replay one with
# build/fuzz/fuzz_scenario FILE.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   ?= build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -D_POSIX_C_SOURCE=200809L -O1 -g -Wall -Wextra -Wpedantic -Icore -Imodels -Ioutput -Isim \
                -DFUZZ_SCENARIOS='"$(CURDIR)/scenarios"' $(shell $(PKG_CONFIG) --cflags yaml-0.1) $(FUZZ_SAN)
FUZZ_LDLIBS   = $(shell $(PKG_CONFIG) --libs yaml-0.1 gsl) -lcsv -lm
FUZZ_LIB_SRC := $(wildcard core/*.c)
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_NAMES   := scenario set csv
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
# libFuzzer options: bounded time and memory, the YAML dictionary for the loader
FUZZ_OPTS     = -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
FUZZ_OPTS_scenario = -dict=tests/fuzz/scenario.dict -max_len=16384
FUZZ_OPTS_set      = -dict=tests/fuzz/set.dict -max_len=1024
FUZZ_OPTS_csv      = -max_len=8192
FUZZ_SEEDS_scenario = scenarios/*.yaml scenarios/proposals/*.yaml tests/fixtures/*.yaml tests/fuzz/corpus/scenario/*
FUZZ_SEEDS_set      = tests/fuzz/corpus/set/*
FUZZ_SEEDS_csv      = data/prices/*.csv

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LDLIBS)

fuzz-build: $(FUZZ_BINS)

# The harnesses fuzz at the same time, one process each (FUZZ_SECONDS of wall
# time each, whatever the order); every one runs even if another fails. The log
# of each is in build/fuzz/<name>.log, its summary printed here once all are done.
fuzz: fuzz-build
	@for h in $(FUZZ_NAMES); do \
	  corpus=$(FUZZ_BUILD)/corpus/$$h; mkdir -p $$corpus $(FUZZ_BUILD)/artifacts; \
	  case $$h in scenario) seeds="$(FUZZ_SEEDS_scenario)"; opts="$(FUZZ_OPTS_scenario)";; \
	              set) seeds="$(FUZZ_SEEDS_set)"; opts="$(FUZZ_OPTS_set)";; \
	              csv) seeds="$(FUZZ_SEEDS_csv)"; opts="$(FUZZ_OPTS_csv)";; esac; \
	  cp $$seeds $$corpus/; rm -f $(FUZZ_BUILD)/$$h.status; \
	  echo "== fuzz_$$h: $(FUZZ_SECONDS) s, corpus $$corpus"; \
	  ( $(FUZZ_BUILD)/fuzz_$$h $(FUZZ_OPTS) $$opts -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$h- \
	      $$corpus >$(FUZZ_BUILD)/$$h.log 2>&1; echo $$? >$(FUZZ_BUILD)/$$h.status ) & \
	done; wait; \
	fail=0; for h in $(FUZZ_NAMES); do \
	  echo "== fuzz_$$h"; \
	  if [ "$$(cat $(FUZZ_BUILD)/$$h.status 2>/dev/null)" = 0 ]; then \
	    grep -E '^(INFO: seed corpus|#[0-9]+[[:space:]]+(INITED|DONE))|^stat::' $(FUZZ_BUILD)/$$h.log; \
	  else \
	    tail -n 60 $(FUZZ_BUILD)/$$h.log; echo "fuzz_$$h FAILED: input in $(FUZZ_BUILD)/artifacts/"; fail=1; \
	  fi; \
	done; exit $$fail

.PHONY: fuzz fuzz-build
-include $(wildcard $(FUZZ_BUILD)/obj/*/*.d $(FUZZ_BUILD)/obj/*/*/*.d)

# Line coverage of the library by each harness's corpus (clang source-based
# coverage, replayed without fuzzing): make fuzz-coverage after make fuzz.
FUZZ_COV      = -fprofile-instr-generate -fcoverage-mapping
LLVM_PROFDATA ?= llvm-profdata-14
LLVM_COV      ?= llvm-cov-14

$(FUZZ_BUILD)/cov/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(filter-out $(FUZZ_SAN),$(FUZZ_CFLAGS)) $(FUZZ_COV) -c $< -o $@

$(FUZZ_BUILD)/cov/fuzz_%: $(FUZZ_BUILD)/cov/tests/fuzz/fuzz_%.o $(FUZZ_LIB_SRC:%.c=$(FUZZ_BUILD)/cov/%.o)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_COV) -o $@ $^ $(FUZZ_LDLIBS)

fuzz-coverage: $(FUZZ_NAMES:%=$(FUZZ_BUILD)/cov/fuzz_%)
	@for h in $(FUZZ_NAMES); do \
	  LLVM_PROFILE_FILE=$(FUZZ_BUILD)/cov/$$h.profraw $(FUZZ_BUILD)/cov/fuzz_$$h -runs=0 \
	    $(FUZZ_BUILD)/corpus/$$h >/dev/null 2>&1 || exit 1; \
	  $(LLVM_PROFDATA) merge -sparse $(FUZZ_BUILD)/cov/$$h.profraw -o $(FUZZ_BUILD)/cov/$$h.profdata || exit 1; \
	  echo "== fuzz_$$h: corpus $(FUZZ_BUILD)/corpus/$$h ($$(ls $(FUZZ_BUILD)/corpus/$$h | wc -l) inputs)"; \
	  $(LLVM_COV) report $(FUZZ_BUILD)/cov/fuzz_$$h -instr-profile=$(FUZZ_BUILD)/cov/$$h.profdata $(FUZZ_LIB_SRC); \
	done

.PHONY: fuzz-coverage
