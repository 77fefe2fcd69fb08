# The two commands of the README: `make demo` and `make test`. Both install what is missing first.
SHELL := /bin/bash
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PY := .venv/bin/python
ENV := source scripts/qgis_env.sh &&

.PHONY: setup demo team-demo test lint unit qgis e2e package bench clean translations test-qgis-versions
# The other QGIS versions we claim: Debian trixie (QGIS 3.40 LTR) and sid (3.44), each in a cached chroot.
QGIS_SUITES ?= trixie sid

setup:
	@scripts/setup.sh

demo: setup
	@$(ENV) scripts/demo.sh

team-demo: setup
	@$(ENV) $(PY) scripts/team_demo.py

test: setup lint
	@$(ENV) .venv/bin/pytest tests/unit tests/qgis tests/e2e

# The QGIS and e2e tiers under each suite's QGIS (scripts/qgis_chroot.sh; root, chroots in /var/cache/ecozoning).
test-qgis-versions:
	@rc=0; for suite in $(QGIS_SUITES); do scripts/qgis_chroot.sh $$suite test || rc=1; done; exit $$rc

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
