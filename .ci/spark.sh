#!/usr/bin/env bash
# Everything `make test-spark` needs, from PyPI and the JDK only (no Maven):
#   .venv-spark             dbt-core 1.11, dbt-spark 1.11 (session method),
#                           pyspark 3.5, the project (editable), duckdb, pytest
#   .venv-spark/jars/       the Iceberg runtime for Spark 3.5 / Scala 2.12, from the
#                           PyPI package snowpark-connect-deps-iceberg, and the
#                           Jackson classes that jar leaves out, relocated from
#                           pyspark's own Jackson jars (.ci/spark/Relocate.java)
#   .venv-spark/spark-jars  the comma-separated jar list for LEAD_SCORING_SPARK_JARS
# Idempotent: a stamp file records the inputs of the last complete install.
# Iceberg, not Delta: dbt-spark snapshots only into delta/iceberg/hudi tables and
# the incremental models need row-level DELETE/MERGE; Delta's jars come from Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv-spark
JARS=$VENV/jars
STAMP=$VENV/.installed
# What the install depends on: this script, the relocation source, pyproject.toml.
inputs=$(cat .ci/spark.sh .ci/spark/Relocate.java pyproject.toml | sha256sum | cut -d' ' -f1)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$inputs" ] && [ -f "$VENV/spark-jars" ]; then
  echo "spark: $VENV is up to date (delete $STAMP to reinstall)"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v javac >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1; then
  echo "spark: no JDK (javac) here: installing openjdk-17-jdk-headless with apt"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null
fi
echo "spark: $(java -version 2>&1 | head -1)"

if [ ! -x "$VENV/bin/python" ]; then
  echo "spark: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# pip, quiet; without its notes on package indexes configured on this machine that lack a package.
pip_install() {
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
    2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}
echo "spark: installing dbt-spark[session] 1.11, pyspark 3.5, the Iceberg runtime and the project into $VENV"
pip_install --upgrade pip
pip_install \
  'dbt-core>=1.11,<1.12' 'dbt-spark[session]==1.11.*' 'pyspark==3.5.*' \
  'snowpark-connect-deps-iceberg' 'duckdb>=1.2,<3' 'pytest>=8,<10' -e .

site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
iceberg=$(ls "$site"/snowpark_connect_deps_iceberg/jars/iceberg-spark-runtime-3.5_2.12-*.jar | head -1)
[ -f "$iceberg" ] || { echo "spark: no iceberg-spark-runtime-3.5_2.12 jar in snowpark-connect-deps-iceberg" >&2; exit 1; }
echo "spark: Iceberg runtime $(basename "$iceberg")"

# The Iceberg jar calls Jackson under org.apache.iceberg.shaded.com.fasterxml.jackson
# but does not contain it: pyspark's Jackson jars, their classes renamed into that
# package (the JDK's internal copy of ASM does the renaming).
mkdir -p "$JARS" "$VENV/build/relocate"
pyspark_jars="$site/pyspark/jars"
jackson=()
for name in jackson-core jackson-databind jackson-annotations jackson-datatype-jsr310; do
  found=$(ls "$pyspark_jars"/"$name"-2.*.jar | head -1)
  [ -f "$found" ] || { echo "spark: no $name jar in $pyspark_jars" >&2; exit 1; }
  jackson+=("$found")
done
asm_exports=(--add-exports java.base/jdk.internal.org.objectweb.asm=ALL-UNNAMED
             --add-exports java.base/jdk.internal.org.objectweb.asm.commons=ALL-UNNAMED)
echo "spark: relocating $(for j in "${jackson[@]}"; do basename "$j"; done | paste -sd' ') into $JARS/iceberg-shaded-jackson.jar"
javac -nowarn "${asm_exports[@]}" -d "$VENV/build/relocate" .ci/spark/Relocate.java
rm -rf "$VENV/build/classes" && mkdir -p "$VENV/build/classes"
java "${asm_exports[@]}" -cp "$VENV/build/relocate" Relocate "$VENV/build/relocated.zip" "${jackson[@]}"
# Repack with jar (a manifest, entries in order).
(cd "$VENV/build/classes" && jar xf ../relocated.zip)
jar cf "$JARS/iceberg-shaded-jackson.jar" -C "$VENV/build/classes" .
rm -rf "$VENV/build/classes" "$VENV/build/relocated.zip"

echo "$iceberg,$PWD/$JARS/iceberg-shaded-jackson.jar" > "$VENV/spark-jars"
echo "$inputs" > "$STAMP"
echo "spark: ready ($VENV; jars listed in $VENV/spark-jars)"
