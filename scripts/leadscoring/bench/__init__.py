"""``leadscoring bench``: the dbt project measured against the engine's limit.

Generates scale data with DuckDB SQL (:mod:`.datagen`), then times, round by
round, a full dbt build, an incremental dbt build after appending 1% new
events, a hand-written single DuckDB query (:mod:`.handquery`) and a pandas
implementation (:mod:`.pandas_scores`) of the same scores, checks that all four
agree row for row (:mod:`.compare`), and prints wall time, CPU time and peak
memory of each step (:mod:`.measure`, :mod:`.report`). docs/benchmarks.md says
how to run it and what each figure means.
"""

from leadscoring.bench.command import register

__all__ = ["register"]
