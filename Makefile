# dissent — top-level entry points.  See README.md.
#   make run    install what is missing, build, start dissentd with a demo directory
#   make test   build (normal and ASan+UBSan) and run every test, the web
#               application's (node's test runner, headless Chromium) last
#   make bench  run the benchmarks and print ratios

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
DATA_DIR ?= $(CURDIR)/demo-data
LISTEN ?= 127.0.0.1
PORT ?= 8080

.PHONY: all deps build build-asan run test test-unit test-asan test-web web bench fuzz valgrind format clean

# The web application (web/): npm installs what package-lock.json pins
# (again only when it changes), then the files it serves are copied into
# web/vendor/ (not committed).
WEB_MODULES := web/node_modules/.package-lock.json
WEB_VENDOR := web/vendor/libsodium-wrappers.mjs

all: build

deps:
	./scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
		-DDISSENT_SANITIZE=ON -DDISSENT_INTEGRATION=OFF

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

build-asan: $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

run: deps build web
	./scripts/demo-run "$(BUILD)" "$(DATA_DIR)" "$(LISTEN)" "$(PORT)"

test: deps build build-asan web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory test-web

$(WEB_MODULES): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is missing: run ./scripts/install-deps" >&2; exit 1; }
	cd web && npm ci --no-audit --no-fund --prefer-offline

$(WEB_VENDOR): $(WEB_MODULES) web/scripts/vendor.mjs
	cd web && node scripts/vendor.mjs

web: $(WEB_VENDOR)

# The JavaScript protocol against tests/vectors/, then the browser tests
# against this build's dissentd (they fail, saying why, without Chromium).
test-web: build web
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || \
		{ echo "make: the web tests need Node.js 20 or later (have $$(node --version))" >&2; exit 1; }
	cd web && DISSENT_BUILD="$(abspath $(BUILD))" \
		DISSENT_SCREENSHOTS="$(abspath $(BUILD))/web-screenshots" \
		node --test test/

bench: deps build
	./scripts/bench-run "$(BUILD)"

fuzz:
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DDISSENT_FUZZ=ON \
		-DDISSENT_INTEGRATION=OFF
	cmake --build build-fuzz -j $(JOBS) --target $$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$$//')

valgrind: build
	./scripts/valgrind-run "$(BUILD)"

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c bench/*.c

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/vendor
