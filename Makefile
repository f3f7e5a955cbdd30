# One tooling surface: every target runs inside the project's own virtualenv (.venv), which
# `setup` creates and fills from pyproject.toml. A fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test check lint format typecheck bench docs clean kind-up kind-down

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: install, then preview the dev stack offline with its monthly cost (no Pulumi CLI, no credentials)
demo: setup
	$(BIN)/askc preview --stack dev
	$(BIN)/askc cost --stack dev

## test: the whole test suite
test: setup
	$(BIN)/python -m pytest -q

## check: format, lint, strict typing, then the tests
check: setup lint typecheck test

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: setup
	$(BIN)/mypy

## bench: speed measurements, printed as ratios against baselines of the same run
bench: setup
	$(BIN)/python benchmarks/preview_scale.py
	$(BIN)/python benchmarks/cost_scale.py
	$(BIN)/python benchmarks/import_time.py

## docs: the HTML API reference of the library (pdoc, offline) in build/api/index.html
docs: setup
	$(BIN)/python docs/api.py build/api

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info

# The local target's cluster (docs/local-target.md). Needs kind and kubectl (and Docker for kind).
KIND_CLUSTER ?= ask
KIND_CONTEXT := kind-$(KIND_CLUSTER)
# ingress-nginx's manifest for kind, pinned to a controller release.
INGRESS_NGINX_VERSION ?= controller-v1.13.3
INGRESS_NGINX_MANIFEST := https://raw.githubusercontent.com/kubernetes/ingress-nginx/$(INGRESS_NGINX_VERSION)/deploy/static/provider/kind/deploy.yaml

define require_tool
	@command -v $(1) >/dev/null 2>&1 || { \
		echo "make $@: '$(1)' is not installed; the local target needs it: $(2)" >&2; exit 1; }
endef

## kind-up: create the kind cluster `ask` (context kind-ask) with ingress-nginx on localhost:8080/8443
kind-up:
	$(call require_tool,kind,https://kind.sigs.k8s.io/docs/user/quick-start/#installation)
	$(call require_tool,kubectl,https://kubernetes.io/docs/tasks/tools/)
	@if kind get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)'; then \
		echo "kind cluster $(KIND_CLUSTER) exists"; \
	else \
		kind create cluster --name $(KIND_CLUSTER) --config kind/cluster.yaml; \
	fi
	kubectl --context $(KIND_CONTEXT) apply -f $(INGRESS_NGINX_MANIFEST)
	kubectl --context $(KIND_CONTEXT) -n ingress-nginx wait --for=condition=ready pod \
		--selector=app.kubernetes.io/component=controller --timeout=180s

## kind-down: delete the kind cluster (the sandbox store stays: `askc sandbox reset` empties it)
kind-down:
	$(call require_tool,kind,https://kind.sigs.k8s.io/docs/user/quick-start/#installation)
	kind delete cluster --name $(KIND_CLUSTER)
