# Developer entry points; each target is a thin wrapper over scripts/.
# `make` alone lists them. Pass pytest args with: make test ARGS="-k news".
.DEFAULT_GOAL := help
.PHONY: help venv demo test lint format check messages pg es es-stop bench clean distclean

PY   := .venv/bin/python
RUFF := .venv/bin/ruff
ARGS ?=

help: ## List targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: ## Create/update .venv with dev requirements (skips when up to date)
	@scripts/venv.sh requirements-dev.txt

demo: ## Migrate, load demo content, index, and run the dev server on :8000
	scripts/demo.sh

test: ## Lint, Django checks, pytest on SQLite and PostgreSQL (scripts/test.sh)
	scripts/test.sh $(ARGS)

lint: venv ## ruff check + ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

format: venv ## Apply ruff formatting and autofixes
	$(RUFF) format .
	$(RUFF) check --fix .

check: venv ## manage.py check + makemigrations --check (test settings)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

messages: venv ## Extract and compile the English translation (locale/en)
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=static_collected --ignore=node_modules --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

pg: ## Install/start local PostgreSQL with role+db `portal`
	scripts/postgres.sh

es: ## Fetch/start local Elasticsearch 8.19 on 127.0.0.1:9200
	scripts/elasticsearch.sh

es-stop: ## Stop the local Elasticsearch started by `make es`
	scripts/elasticsearch.sh stop

bench: venv ## Run the benchmarks (python -m bench)
	$(PY) -m bench $(ARGS)

clean: ## Remove caches and collected static files (keeps .venv and var/)
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache static_collected

distclean: clean ## Also remove .venv and var/ (the dev database!)
	rm -rf .venv var
