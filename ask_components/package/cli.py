"""``askc package``: the multi-language Pulumi package (``docs/library.md``)."""

from __future__ import annotations

import typer

from ask_components.clikit import handle_errors

package_app = typer.Typer(
    help="The components as a Pulumi package for TypeScript, Go, C#, Java and YAML programs.",
    no_args_is_help=True,
)


@package_app.command("schema")
@handle_errors
def schema_command() -> None:
    """Print the package schema (JSON): what `pulumi package get-schema` returns for it."""
    from ask_components.package.host import schema_text

    # Plain print: the schema is piped into files and tools, never wrapped or styled.
    print(schema_text(), end="")
