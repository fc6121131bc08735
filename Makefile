# Thin entry points: deps (Debian packages), build (Release, all cores, ccache), run, test.
DEPS := libpg-query-dev protobuf-compiler libprotobuf-dev libboost-dev liblz4-dev libxxhash-dev \
        libzstd-dev libsnappy-dev zlib1g-dev libbz2-dev libcurl4-openssl-dev libssl-dev \
        libsimdjson-dev libabsl-dev libcpp-httplib-dev libavro-dev tzdata libgtest-dev libbenchmark-dev libpq-dev postgresql postgresql-client \
        libpostgresql-jdbc-java openjdk-17-jdk-headless openssl cmake g++ make python3 \
        python3-sqlalchemy python3-psycopg2 python3-pandas
JOBS := $(shell nproc)
# ccache keys on relative paths, so clones in other folders share the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
DATA ?= $(CURDIR)/data
PORT ?= 5439
# The console and /metrics (http://127.0.0.1:8439/).
HTTP_PORT ?= 8439
# A folder superusers may COPY from / UNLOAD to on the server (`make run ALLOW=/path`); none by default.
ALLOW ?=

.PHONY: deps build run test clean tools console
deps:
	@missing=$$(for p in $(DEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	command -v ccache >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ccache || true)

# Real peers the tests run (npm): the s3rver S3-compatible server, DuckDB (Parquet files),
# puppeteer-core driving Debian's Chromium for the console's browser test.
tools: tests/tools/node_modules/.package-lock.json
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
tests/tools/node_modules/.package-lock.json: tests/tools/package.json tests/tools/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	cd tests/tools && npm install --no-audit --no-fund --loglevel=error  # (npm ci trips over the lock's other-platform optional packages)

# The web console's libraries (npm: ECharts, CodeMirror), built into the binary as they are.
console: console/node_modules/.package-lock.json
console/node_modules/.package-lock.json: console/package.json console/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	cd console && npm install --no-audit --no-fund --loglevel=error

build: deps console
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)

run: build
	./build/strata serve --data $(DATA) --port $(PORT) --http-port $(HTTP_PORT) $(if $(ALLOW),--allow-path $(ALLOW))

test: build tools
	cd build && ctest --output-on-failure -j 1; rc=$$?; echo "time per test entry:"; bash ../tests/lib/ctest_times.sh .; exit $$rc

clean:
	rm -rf build
