"""Backend adapters: execute the builders' SQL. DuckDB (in process) is the default; Spark
(optional extra ``bokjihub[spark]``, imported only when asked for) has the same methods.

The builders write one SQL text for both engines. Where the dialects differ they call the
few fragment functions below with the backend's ``dialect``; everything else is written
in the common subset (``CAST(… AS STRING)``, ``DOUBLE`` literals, inline ``VALUES``).
"""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

DIALECTS = ("duckdb", "spark")


class BackendUnavailable(RuntimeError):
    """The engine asked for cannot start here (library or Java runtime missing)."""


# ---------------------------------------------------------------- dialect fragments


def _check(dialect: str) -> str:
    if dialect not in DIALECTS:
        raise ValueError(f"알 수 없는 SQL 방언: {dialect}")
    return dialect


def regex_full_match(dialect: str, expr: str, pattern: str) -> str:
    """``expr`` matches ``pattern`` as a whole (the pattern has no backslashes)."""
    if _check(dialect) == "spark":
        return f"regexp_like({expr}, '^(?:{pattern})$')"
    return f"regexp_full_match({expr}, '{pattern}')"


def collapse_spaces(dialect: str, expr: str) -> str:
    """Trimmed, every run of white space one blank."""
    # DuckDB keeps backslashes in literals and needs 'g' for every match; Spark unescapes
    # literals and always replaces every match.
    if _check(dialect) == "spark":
        return f"regexp_replace(trim({expr}), '\\\\s+', ' ')"
    return f"regexp_replace(trim({expr}), '\\s+', ' ', 'g')"


def ordered_sum(dialect: str, value: str, order: str) -> str:
    """Aggregate: the sum of ``value`` added one by one in the order of ``order`` (unique
    within the group), so that every run and both engines give the same last bit."""
    if _check(dialect) == "spark":
        return (
            f"aggregate(array_sort(collect_list(named_struct('o', {order}, 'v', {value}))),"
            f" CAST(0 AS DOUBLE), (acc, e) -> acc + e.v)"
        )
    return f"list_sum(list({value} ORDER BY {order}))"


def ordered_string_agg(dialect: str, value: str, separator: str, order: str, where: str) -> str:
    """Aggregate: ``value`` of the rows meeting ``where``, joined in the order of ``order``."""
    sep = "'" + separator.replace("'", "''") + "'"
    if _check(dialect) == "spark":
        return f"string_agg({value}, {sep}) WITHIN GROUP (ORDER BY {order}) FILTER (WHERE {where})"
    return f"string_agg({value}, {sep} ORDER BY {order}) FILTER (WHERE {where})"


# ---------------------------------------------------------------- DuckDB


def default_memory_limit() -> str:
    """Half of the machine's physical memory, as DuckDB's memory_limit."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "4GB"
    return f"{max(1, total // 2 // 2**20)}MB"


class DuckDBBackend:
    """Runs the pipeline's SQL on an in-process DuckDB connection."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        spill_dir: str | Path | None = None,
    ):
        import duckdb

        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        # DuckDB's own default is 80 % of RAM; the pipeline's Arrow tables and Python live
        # beside it, so a national run would pass the machine's memory. Half of RAM, with
        # spilling to disk beyond it, keeps the whole process within about two thirds.
        self.con.execute("SET memory_limit = ?", [memory_limit or default_memory_limit()])
        if spill_dir:
            self.con.execute("SET temp_directory = ?", [str(spill_dir)])

    def register(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def parquet_view(self, name: str, paths: list[Path]) -> None:
        files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{files}])")

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")

    def write_parquet(self, sql: str, path: Path) -> None:
        target = str(path).replace("'", "''")
        self.con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def arrow(self, sql: str) -> pa.Table:
        # a relation hands its rows to Arrow without the copy a DB-API result makes
        return self.con.sql(sql).to_arrow_table()

    def close(self) -> None:
        self.con.close()


# ---------------------------------------------------------------- Spark

_SPARK_MISSING = (
    "Spark 엔진에는 pyspark 와 Java 런타임(17 이상)이 필요합니다: pip install 'bokjihub[spark]', "
    "Debian/Ubuntu 는 apt-get install default-jre-headless "
    "(the Spark engine needs pyspark and a Java 17+ runtime). {detail}"
)


def spark_available() -> str | None:
    """None when the Spark engine can start here, else why not (Korean and English)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return _SPARK_MISSING.format(detail="pyspark is not installed.")
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        return _SPARK_MISSING.format(detail="No `java` on PATH and no JAVA_HOME.")
    return None


class SparkBackend:
    """Runs the pipeline's SQL on a local Spark session (``local[threads]``).

    Tables the pipeline creates are temporary views over locally checkpointed data: each
    is computed once, like DuckDB's ``CREATE TABLE … AS``. Parquet outputs are single
    files, as with DuckDB, collected through Arrow on the driver. A session that was
    already active (a test fixture, a notebook) is used and left running; one this
    backend started is stopped by :meth:`close`.
    """

    name = "spark"
    dialect = "spark"

    def __init__(
        self,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        shuffle_partitions: int | None = None,
    ):
        problem = spark_available()
        if problem:
            raise BackendUnavailable(problem)
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        self._owned = active is None
        if active is not None:
            self.spark = active
        else:
            self._warehouse = tempfile.mkdtemp(prefix="bokjihub-spark-")
            cores = int(threads) if threads else os.cpu_count() or 2
            builder = (
                SparkSession.builder.master(f"local[{int(threads) if threads else '*'}]")
                .appName("bokjihub-screening")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "UTC")
                # the default 200 partitions cost far more than they save on one machine
                .config("spark.sql.shuffle.partitions", str(shuffle_partitions or 2 * cores))
                .config("spark.default.parallelism", str(2 * cores))
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.warehouse.dir", self._warehouse)
            )
            if memory_limit:
                builder = builder.config("spark.driver.memory", memory_limit)
            self.spark = builder.getOrCreate()
            self.spark.sparkContext.setLogLevel("ERROR")
            # py4j logs each connection it closes, also at interpreter exit when the
            # streams are gone; its warnings still show
            logging.getLogger("py4j").setLevel(logging.WARNING)
        self._views: set[str] = set()

    def register(self, name: str, table: pa.Table) -> None:
        self.spark.createDataFrame(table).createOrReplaceTempView(name)
        self._views.add(name)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        self._views.discard(name)

    def parquet_view(self, name: str, paths: list[Path]) -> None:
        self.spark.read.parquet(*(str(p) for p in paths)).createOrReplaceTempView(name)
        self._views.add(name)

    def create(self, name: str, sql: str) -> None:
        self.spark.sql(sql).localCheckpoint(eager=True).createOrReplaceTempView(name)
        self._views.add(name)

    def view(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)
        self._views.add(name)

    def write_parquet(self, sql: str, path: Path) -> None:
        pq.write_table(self.arrow(sql), path)

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.spark.sql(sql).collect()]

    def arrow(self, sql: str) -> pa.Table:
        return _plain_types(self.spark.sql(sql).toArrow())

    def close(self) -> None:
        for name in sorted(self._views):
            self.spark.catalog.dropTempView(name)
        self._views.clear()
        if self._owned:
            self.spark.stop()
            shutil.rmtree(self._warehouse, ignore_errors=True)


def _plain_types(table: pa.Table) -> pa.Table:
    """Spark may hand over large strings; the run folder's files use plain ones on both
    engines, so that their schemas are the same."""
    fields = [
        field.with_type(pa.string()) if pa.types.is_large_string(field.type) else field
        for field in table.schema
    ]
    schema = pa.schema(fields)
    return table if schema == table.schema else table.cast(schema)


def backend(name: str = "duckdb", **options):
    if name == "duckdb":
        return DuckDBBackend(**options)
    if name == "spark":
        return SparkBackend(**options)
    raise ValueError(f"알 수 없는 엔진: {name}")
