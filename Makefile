# One command for each common job. Each one installs what it needs first.
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-postgres bench lint messages demo-db clean

$(BIN)/uv:
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --frozen --quiet
	touch $@

## run: migrate the SQLite database, load the demo plan and serve on http://127.0.0.1:8000
run: $(VENV)/.synced
	$(BIN)/jalon migrate --no-input
	$(BIN)/jalon demo
	$(BIN)/jalon runserver 127.0.0.1:8000

## test: run the whole test suite (browser tests included) on the configured database,
## spread over the machine's cores (each worker has its own test database)
test: $(VENV)/.synced
	scripts/ensure-system-packages
	$(BIN)/pytest --numprocesses=auto --maxprocesses=4

## test-postgres: the same suite on PostgreSQL at 127.0.0.1:5432
test-postgres: $(VENV)/.synced
	scripts/ensure-system-packages
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest --numprocesses=auto --maxprocesses=4

## bench: time the importers and print the figures
bench: $(VENV)/.synced
	$(BIN)/python -m bench

## lint: ruff and mypy
lint: $(VENV)/.synced
	$(BIN)/ruff check jalon tests bench
	$(BIN)/mypy jalon

## messages: refresh both translation catalogues and compile them
messages: $(VENV)/.synced
	cd jalon && ../$(BIN)/jalon makemessages -l fr -l en --no-obsolete --add-location file
	cd jalon && ../$(BIN)/jalon compilemessages

clean:
	rm -rf $(VENV) var
