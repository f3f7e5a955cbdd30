"""Build the HTML API reference of the library from its docstrings (``make docs``), with pdoc.

    .venv/bin/python docs/api.py [OUTPUT_DIR]      # default build/api; offline

The modules below are the library's surface: the components, their arguments, the pure planners
a program may call, the errors, the offline engine for a program's own tests, and the package's
hosted components. The source uses postponed annotations (``from __future__ import
annotations``), and a dataclass's inherited fields name types imported where the base class is
(``Sequence``, ``PodSecurity``), which pdoc looks up in the subclass's module; ``pulumi.Input``
holds a forward reference to ``Output[T]``. So annotations are resolved in the namespace of the
whole documented surface (plus pulumi's ``Output`` and ``T``) before pdoc's own lookup, which
warns about anything still unresolved: ``tests/library/test_api_docs.py`` requires none.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

MODULES = (
    "ask_components",
    "ask_components.network.network",
    "ask_components.network.cidr",
    "ask_components.cluster.cluster",
    "ask_components.ingress.alb",
    "ask_components.ingress.expose",
    "ask_components.dns.dns",
    "ask_components.dns.records",
    "ask_components.workloads.app",
    "ask_components.workloads.cronjob",
    "ask_components.workloads.batch",
    "ask_components.workloads.spark",
    "ask_components.workloads.ci_runner",
    "ask_components.workloads.eci_options",
    "ask_components.workloads.runtime",
    "ask_components.workloads.pod",
    "ask_components.platform",
    "ask_components.config",
    "ask_components.errors",
    "ask_components.arguments",
    "ask_components.preview.engine",
    "ask_components.package.components",
    "ask_components.package.types",
)

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "build" / "api"


def _surface_namespace() -> dict[str, Any]:
    from pulumi import Output
    from pulumi.output import T

    namespace: dict[str, Any] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        namespace.update(
            (key, value) for key, value in vars(module).items() if not key.startswith("__")
        )
    # The package root's names are lazy (imported on first use); its page lists them, so load
    # them here (pdoc reads the module's own attributes).
    import ask_components

    for key in ask_components.__all__:
        setattr(ask_components, key, getattr(ask_components, key))
        namespace[key] = getattr(ask_components, key)
    namespace.update(Output=Output, T=T)
    return namespace


def build(output: Path) -> None:
    """Write the reference into ``output`` (``index.html`` and one page per module)."""
    from typing import _eval_type  # type: ignore[attr-defined]

    import pdoc
    import pdoc.doc
    import pdoc.doc_types

    namespace = _surface_namespace()
    original = pdoc.doc_types.safe_eval_type

    def safe_eval_type(
        t: Any, globalns: dict[str, Any], localns: Any, module: Any, fullname: str
    ) -> Any:
        try:
            return _eval_type(t, {**namespace, **globalns}, localns)
        except Exception:  # pdoc's own lookup, which warns when it fails too
            return original(t, globalns, localns, module, fullname)

    pdoc.doc_types.safe_eval_type = safe_eval_type
    pdoc.doc.safe_eval_type = safe_eval_type  # type: ignore[attr-defined]
    pdoc.render.configure(docformat="google", footer_text="ask-components")
    pdoc.pdoc(*MODULES, output_directory=output)


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
