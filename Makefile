# The two commands of the README: `make demo` and `make test`. Both create .venv when it is absent.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

.PHONY: demo test venv browser web train train-places screenshots clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sitroom extract examples/*.txt --format table

# The dashboard's browser tests drive Debian's chromium through Playwright (never a browser Playwright
# downloads); installed here when missing, with sudo unless already root.
browser: $(CHROMIUM)

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "install chromium at $(CHROMIUM) (no apt-get here)" >&2; exit 1; }
	SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The dashboard's JavaScript libraries come from the npm registry and are shipped built, in
# sitroom/web/static/vendor/ (committed); this target refreshes them after a change to web/package.json.
web:
	cd web && npm ci --ignore-scripts --no-audit --no-fund && npm run build

# Rebuilds the event model's weights in sitroom/weights/ from ../shared/data (README, "The event model"):
# held-out folds first, then the shipped model; about 22 minutes on 2 cores. Needs the `train` extra.
TRAIN_STAMP := $(VENV)/.installed-train

$(TRAIN_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[train]'
	touch $(TRAIN_STAMP)

train: $(TRAIN_STAMP)
	$(BIN)/python -m sitroom.training
	$(BIN)/python -m sitroom.training.toponyms

# The toponym ranker alone (weights/toponyms.json): about a minute.
train-places: $(TRAIN_STAMP)
	$(BIN)/python -m sitroom.training.toponyms

# The README's screenshots: the browser tests, saving what they see to docs/screenshots/.
screenshots: $(STAMP) $(CHROMIUM)
	SITROOM_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_dashboard.py

# pytest exits 5 when it collected nothing: that must not pass for green.
test: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest -q; status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$status

clean:
	rm -rf $(VENV) build *.egg-info
