# vxpkit — the two commands of the README, and a few more for developers.
#   make demo   build, then run the main job and print the verdicts
#   make test   install what is missing (Debian packages), build, run every test
.PHONY: all deps configure build test test-asan demo bench rehearsal fuzz format clean

PRESET ?= release
BUILD := build

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@test -f $(BUILD)/build.ninja || cmake --preset $(PRESET)

build: configure
	@cmake --build --preset $(PRESET)

# Every test: C++ unit tests, the vector corpus, the fuzz corpus replays, the docs-drift check
# and the CLI end-to-end tests (pytest), all through ctest. ctest fails when no test is found
# (noTestsAction=error in CMakePresets.json).
test: build
	@ctest --preset $(PRESET)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/).
test-asan: deps
	@test -f build-asan/build.ninja || cmake --preset asan
	@cmake --build --preset asan
	@ctest --preset asan

# The report is build/demo-result/index.html.
demo: build
	@$(BUILD)/bin/vxpkit demo --out $(BUILD)/demo-result

bench: build
	@$(BUILD)/bench/validate_bench
	@$(BUILD)/bench/signing_bench
	@$(BUILD)/bench/hub_bench
	@$(BUILD)/bench/hub_scale_bench
	@$(BUILD)/bench/load_bench
	@/usr/bin/python3 bench/service_bench.py --build $(BUILD) --max 16

# A day of national traffic through two hubs on one PostgreSQL, 100x real time (docs/scale.md):
# about 15 minutes.
rehearsal: build
	@$(BUILD)/bench/national_rehearsal

# Build the libFuzzer targets with clang (build-fuzz/); run one with e.g.
#   build-fuzz/fuzz/parse_fuzzer fuzz/corpus/parse -max_total_time=60
# (the targets that draw certificates with LSAN_OPTIONS=suppressions=fuzz/lsan.supp: fontconfig
# keeps its caches for the life of the process)
fuzz: deps
	@test -f build-fuzz/build.ninja || cmake --preset fuzz
	@cmake --build --preset fuzz

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-asan build-fuzz
