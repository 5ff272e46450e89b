"""Python tooling around the lead-scoring dbt project.

One command, ``leadscoring``, with subcommands: ``generate`` (demo data),
``validate`` (point tables), ``top`` (a short report of the top leads).
"""

__version__ = "0.1.0"
