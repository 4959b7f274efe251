# Warble: `make test` installs what is missing, then runs ruff, the layering contract and pytest.
PYTHON := env/bin/python
export PYTHONPATH := $(CURDIR)/lib:$(CURDIR)/lib/vendor:$(CURDIR)

.PHONY: setup test lint lock run clean

setup:
	python3 -m lib.bootstrap --tests --system

lint: setup
	$(PYTHON) -m ruff check .
	env/bin/lint-imports --no-cache

test: lint
	$(PYTHON) -m pytest $(PYTEST_ARGS)

run:
	python3 dev.py

# Re-pin the locks after editing requirements/*.in (needs uv: pip install uv).
lock:
	cd requirements && uv pip compile --quiet --generate-hashes --universal --python-version 3.11 runtime.in -o runtime.lock
	cd requirements && uv pip compile --quiet --generate-hashes --universal --python-version 3.11 -c runtime.lock test.in -o test.lock
	npm install --package-lock-only --ignore-scripts --no-audit --no-fund

clean:
	rm -rf env lib/vendor static/vendor node_modules var
