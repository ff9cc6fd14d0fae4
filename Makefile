# One command for each common job. Each one installs what it needs first.
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run serve test test-postgres bench lint messages demo-db clean

$(BIN)/uv:
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --frozen --quiet
	touch $@

## install: the application and what it runs on, without the test and development tools,
## in .venv: what a server needs (docs/deploy.md); again after each upgrade
install: | $(BIN)/uv
	$(BIN)/uv sync --frozen --no-dev --quiet
	rm -f $(VENV)/.synced

## run: migrate the SQLite database, load the demo plan and serve on http://127.0.0.1:8000
## with a worker of the task queue beside the development server
run: $(VENV)/.synced
	scripts/run-demo

## serve: serve Jalon as in production (Gunicorn, a queue worker, periodic jobs, compressed
## static files) on http://127.0.0.1:8000; settings from the environment or .env
serve: $(VENV)/.synced
	scripts/ensure-system-packages
	scripts/serve

## test: run the whole test suite (browser tests included) on the configured database,
## spread over the machine's cores (each worker has its own test database)
test: $(VENV)/.synced
	scripts/ensure-system-packages
	$(BIN)/pytest --numprocesses=auto --maxprocesses=4

## test-postgres: the same suite on PostgreSQL at 127.0.0.1:5432, the tests that touch the
## database (the others gave their answer on SQLite; JALON_TEST_EVERYTHING=1 runs them too)
test-postgres: $(VENV)/.synced
	scripts/ensure-system-packages
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest --numprocesses=auto --maxprocesses=4

## bench: time the importers and print the figures
bench: $(VENV)/.synced
	$(BIN)/python -m bench

## lint: ruff and mypy
lint: $(VENV)/.synced
	$(BIN)/ruff check jalon tests bench
	JALON_DEBUG=1 $(BIN)/mypy jalon

## messages: refresh both translation catalogues and compile them
messages: $(VENV)/.synced
	cd jalon && JALON_DEBUG=1 ../$(BIN)/jalon makemessages -l fr -l en --no-obsolete --add-location file
	cd jalon && JALON_DEBUG=1 ../$(BIN)/jalon compilemessages

clean:
	rm -rf $(VENV) var
