# The two commands of the README: `make demo` and `make test`. Both install what is missing first.
SHELL := /bin/bash
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PY := .venv/bin/python
ENV := source scripts/qgis_env.sh &&

.PHONY: setup demo team-demo test lint unit qgis e2e package bench clean translations

setup:
	@scripts/setup.sh

demo: setup
	@$(ENV) scripts/demo.sh

team-demo: setup
	@$(ENV) $(PY) scripts/team_demo.py

test: setup lint
	@$(ENV) .venv/bin/pytest tests/unit tests/qgis tests/e2e

unit: setup
	@$(ENV) .venv/bin/pytest tests/unit

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/flake8 --select=QGS --exclude=.venv,build,dist .
	.venv/bin/bandit -q -c pyproject.toml -r core processing ui plugin.py dependencies.py __init__.py

translations: setup
	$(PY) scripts/i18n.py
	PATH=/usr/lib/qt5/bin:$$PATH lrelease -silent resources/i18n/ecozoning_zh_CN.ts -qm resources/i18n/ecozoning_zh_CN.qm

package: setup
	@scripts/package.sh $(VERSION)

bench: setup
	@$(ENV) $(PY) benchmarks/bench_delineate.py

clean:
	rm -rf build dist demo_output test_output
