"""``python -m tests.agents.eval_cli eval ...``: the eval command on its own app, for subprocess tests."""

import typer

from healthgym.agents.cli import eval_command

app = typer.Typer()
app.command("eval")(eval_command)
app.command("noop")(lambda: None)  # a second command keeps `eval` a subcommand, as on the main CLI

if __name__ == "__main__":
    app()
