# Developer shortcuts; scripts/bootstrap is the single source of truth for set-up.
PY := .venv/bin/python

.PHONY: setup run demo test lint fmt bench translations

setup:
	scripts/bootstrap setup

run:
	.venv/bin/station-console

demo:
	.venv/bin/station-console --demo

test:
	scripts/bootstrap test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

fmt:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

translations:
	$(PY) -m scripts.build_translations --update

bench:
	$(PY) -m bench.storage
