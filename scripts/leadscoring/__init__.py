"""Python tooling around the lead-scoring dbt project.

One command, ``leadscoring``, with subcommands: ``generate`` (demo data),
``load`` (a CSV or Parquet file into the raw schema), ``validate`` (point
tables, and with ``--sources`` the raw tables), ``top`` (a short report of the
top leads) and ``bench`` (benchmarks).
"""

__version__ = "0.1.0"
