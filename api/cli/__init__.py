"""The ``khuyenhoc`` command line.

- ``main``: the parser and exit codes (``khuyenhoc = api.cli.main:main``;
  ``python -m api.cli`` too);
- ``subcommands``: how a group declares its subcommands, and the settings'
  database they open;
- one module per group: ``demo``; ``read_models`` (rebuild, verify, project);
  ``serve``; ``tokens`` (token …); ``books`` (import, export, report);
  ``migrate``; ``audit`` (seal, replay);
- ``progress`` and ``read_model_progress``: progress shown on standard error
  while long work runs.
"""
