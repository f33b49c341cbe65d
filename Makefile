# dissent — top-level entry points.  See README.md.
#   make run    install what is missing, build, start dissentd with a demo directory
#   make test   build (normal and ASan+UBSan) and run every test
#   make bench  run the benchmarks and print ratios

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
ASAN_BUILD ?= build-asan
DATA_DIR ?= $(CURDIR)/demo-data
LISTEN ?= 127.0.0.1
PORT ?= 8080

.PHONY: all deps build build-asan run test test-unit test-asan bench fuzz valgrind format clean

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

run: deps build
	./scripts/demo-run "$(BUILD)" "$(DATA_DIR)" "$(LISTEN)" "$(PORT)"

test: deps build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)

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
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
