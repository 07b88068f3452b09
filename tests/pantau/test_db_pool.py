"""pantau.db.engine_for: a server store's pool is sized by the settings, by default above the collector's
threads; SQLite keeps its own pool."""

from __future__ import annotations

from pantau.db import engine_for
from pantau.settings import Settings

PG = "postgresql+psycopg://pantau@127.0.0.1:5432/pantau"


def test_dbpool001_the_pool_is_a_setting_defaulting_above_the_collector_threads(tmp_path):
    default = engine_for(Settings(data_dir=tmp_path, database_url=PG))
    sized = engine_for(Settings(data_dir=tmp_path, database_url=PG, database_pool_size=7, database_max_overflow=2))

    assert default.pool.size() + default.pool._max_overflow > 15 and default.pool.size() >= 15
    assert (sized.pool.size(), sized.pool._max_overflow) == (7, 2)
    assert engine_for(Settings(data_dir=tmp_path)).dialect.name == "sqlite"
