"""Backend adapters: execute the builders' SQL. DuckDB (in process) is the default; a
Spark adapter with the same methods is the next step (imported lazily, optional extra)."""

# SQL is built from identifiers and contract constants, never from feed values (S608).
# ruff: noqa: S608

from pathlib import Path

import pyarrow as pa


class DuckDBBackend:
    """Runs the pipeline's SQL on an in-process DuckDB connection."""

    name = "duckdb"

    def __init__(self, *, threads: int | None = None, memory_limit: str | None = None):
        import duckdb

        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            self.con.execute("SET memory_limit = ?", [memory_limit])

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
        return self.con.execute(sql).to_arrow_table()

    def close(self) -> None:
        self.con.close()


def backend(name: str = "duckdb", **options):
    if name == "duckdb":
        return DuckDBBackend(**options)
    if name == "spark":
        raise NotImplementedError(
            "Spark 백엔드는 아직 없습니다 (the Spark adapter is the next step: bokjihub[spark])."
        )
    raise ValueError(f"알 수 없는 엔진: {name}")
