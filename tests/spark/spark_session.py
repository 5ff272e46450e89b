"""A local Spark session configured like the profile's `spark` target, outside dbt.

The dbt `spark` target (profiles.yml, dbt-spark's session method) keeps its
catalog in an embedded Derby metastore and its tables (Apache Iceberg) in a
warehouse directory, both under LEAD_SCORING_SPARK_DIR. This module opens the
same catalog from another process, to load the raw tables before dbt runs and
to read the marts after it: never while dbt runs (Derby is locked by the JVM
that opened it).

    python -m tests.spark.spark_session load CSV_DIR SCHEMA
    python -m tests.spark.spark_session dump OUT_JSON SQL [SQL ...]
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from leadscoring.demo_data import RAW_TABLES


def spark_conf(base: str, jars: str) -> dict[str, str]:
    """The session settings of the profile's spark target (profiles.yml)."""
    return {
        "spark.master": "local[2]",
        "spark.ui.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "false",
        "spark.driver.extraJavaOptions": f"-Duser.timezone=UTC -Dderby.system.home={base}/derby",
        "spark.sql.shuffle.partitions": "4",
        "spark.sql.warehouse.dir": f"{base}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={base}/metastore_db;create=true"
        ),
        "spark.jars": jars,
        "spark.sql.extensions": (
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions"
        ),
        "spark.sql.catalog.spark_catalog": "org.apache.iceberg.spark.SparkSessionCatalog",
        "spark.sql.catalog.spark_catalog.type": "hive",
        "spark.sql.legacy.createHiveTableByDefault": "false",
        "spark.sql.sources.default": "iceberg",
        "spark.hadoop.iceberg.engine.hive.lock-enabled": "false",
    }


def session():  # pyspark is imported here only: the module imports without it
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    conf = spark_conf(os.environ["LEAD_SCORING_SPARK_DIR"], os.environ["LEAD_SCORING_SPARK_JARS"])
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _spark_type(kind: str) -> str:
    return {"varchar": "string", "integer": "int"}.get(kind, kind)


def load(csv_dir: Path, schema: str) -> None:
    """The raw CSVs (demo_data.write_demo_csvs) as Iceberg tables schema.<table>."""
    spark = session()
    spark.sql(f"create database if not exists `{schema}`")
    for table, columns in RAW_TABLES.items():
        ddl = ", ".join(f"`{name}` {_spark_type(kind)}" for name, kind in columns)
        frame = (
            spark.read.schema(ddl)
            .option("header", "true")
            .option("multiLine", "true")
            .option("quote", '"')
            .option("escape", '"')
            .option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
            .option("mode", "FAILFAST")
            .csv(str(csv_dir / f"{table}.csv"))
        )
        spark.sql(f"drop table if exists `{schema}`.`{table}`")
        frame.writeTo(f"spark_catalog.`{schema}`.`{table}`").using("iceberg").create()
        print(table, spark.table(f"`{schema}`.`{table}`").count())
    spark.stop()


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return value


def dump(out: Path, queries: list[str]) -> None:
    """The rows of each query, as JSON lists (decimals as floats, timestamps as text)."""
    spark = session()
    results = [[[_plain(v) for v in row] for row in spark.sql(sql).collect()] for sql in queries]
    out.write_text(json.dumps(results))
    spark.stop()


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(Path(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), sys.argv[3:])
    else:
        raise SystemExit(__doc__)
