"""Schema of a project database, changed only through sqlite-utils ``Migrations``."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from reviewer.core.errors import ProjectError

MIGRATION_SET = "reviewer"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    """Benchmark, items, systems, predictions, cached alignments, labels and their history."""
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE sources (
            id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL,
            role TEXT NOT NULL, system TEXT, imported_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE items (
            pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, reference TEXT NOT NULL,
            media TEXT, meta TEXT NOT NULL DEFAULT '{}')"""
    )
    db.execute(
        """CREATE TABLE systems (
            name TEXT PRIMARY KEY, pos INTEGER NOT NULL, source TEXT,
            imported_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE predictions (
            system TEXT NOT NULL REFERENCES systems(name) ON DELETE CASCADE,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            text TEXT NOT NULL, PRIMARY KEY (system, item_id)) WITHOUT ROWID"""
    )
    # Derived and recomputable: one row per system, item and reference variant
    # ('original', or 'cleaned' when the item has a corrected reference).
    db.execute(
        """CREATE TABLE alignments (
            system TEXT NOT NULL REFERENCES systems(name) ON DELETE CASCADE,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            variant TEXT NOT NULL,
            char_errors INTEGER NOT NULL, char_units INTEGER NOT NULL,
            char_hyp_units INTEGER NOT NULL, char_s INTEGER NOT NULL,
            char_d INTEGER NOT NULL, char_i INTEGER NOT NULL,
            word_errors INTEGER NOT NULL, word_units INTEGER NOT NULL,
            word_hyp_units INTEGER NOT NULL, word_s INTEGER NOT NULL,
            word_d INTEGER NOT NULL, word_i INTEGER NOT NULL,
            categories TEXT NOT NULL, main_category TEXT NOT NULL, edits TEXT NOT NULL,
            PRIMARY KEY (system, item_id, variant)) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE labels (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            verdict TEXT, error_type TEXT, corrected_reference TEXT,
            note TEXT NOT NULL DEFAULT '', tags TEXT NOT NULL DEFAULT '[]',
            annotator TEXT NOT NULL, updated_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE label_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL,
            target INTEGER, before TEXT NOT NULL, after TEXT NOT NULL)"""
    )
    db.execute("CREATE INDEX label_events_item ON label_events(item_id)")
    db.execute("CREATE INDEX labels_verdict ON labels(verdict)")


@migrations()
def m002_kinds(db: Database) -> None:
    """What task kinds other than text keep: prediction metadata and extra pair scores."""
    db.execute("ALTER TABLE predictions ADD COLUMN meta TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE alignments ADD COLUMN extra TEXT NOT NULL DEFAULT '{}'")


@migrations()
def m003_omr_ned_cache(db: Database) -> None:
    """musicdiff results (kern), by content hash of the pair and the engine that made them."""
    db.execute(
        """CREATE TABLE omr_ned_cache (
            key TEXT PRIMARY KEY, engine TEXT NOT NULL, result TEXT NOT NULL,
            computed_at TEXT NOT NULL) WITHOUT ROWID"""
    )


_LEVEL_COLUMNS = ("errors", "units", "hyp_units", "s", "d", "i")


@migrations()
def m004_count_levels_by_role(db: Database) -> None:
    """The alignments' two count levels named by their role instead of OCR units: ``main_*``
    is the level of the kind's per-item metric, ``second_*`` its other level.

    ``char_*`` becomes ``main_*`` and ``word_*`` becomes ``second_*``, which is what they held
    for every kind but asr; asr projects also swap the two levels' values, so that ``main_*``
    holds words (WER) and ``second_*`` characters (CER). A rename keeps the table's rows in
    place and makes the same schema text as a new project gets (which runs this step too).
    A file holding a trigger is refused: reviewer makes none, and the swap would run it.
    """
    trigger = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchone()
    if trigger is not None:
        path = next((r[2] for r in db.execute("PRAGMA database_list") if r[1] == "main"), "")
        raise ProjectError(f"{path}: holds a trigger {trigger[0]!r} that reviewer does not "
                           "make; refused, as bringing the file up to date would run it")
    for column in _LEVEL_COLUMNS:
        db.execute(f"ALTER TABLE alignments RENAME COLUMN char_{column} TO main_{column}")
        db.execute(f"ALTER TABLE alignments RENAME COLUMN word_{column} TO second_{column}")
    swap = ", ".join(f"main_{c} = second_{c}, second_{c} = main_{c}" for c in _LEVEL_COLUMNS)
    # SQLite evaluates every right-hand side on the row as it was, so this swaps.
    db.execute(f"UPDATE alignments SET {swap} "
               "WHERE (SELECT value FROM meta WHERE key = 'kind') = 'asr'")


@migrations()
def m005_team_sync(db: Database) -> None:
    """A copy of a project shared through a PostgreSQL server (``reviewer join``).

    ``team`` holds the copy's settings (server address without password, project name,
    the role it writes as, the server's high-water mark); it is empty in a project that
    is not shared. ``team_events`` gives each event of the history its client-made id and,
    once the server has it, the server's order; ``team_outbox`` lists the events made here
    that the server has not acknowledged yet, written in the event's own transaction.
    """
    db.execute("CREATE TABLE team (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE team_events (
            event_id INTEGER PRIMARY KEY REFERENCES label_events(id) ON DELETE CASCADE,
            uid TEXT NOT NULL UNIQUE, server_seq INTEGER UNIQUE)"""
    )
    db.execute(
        """CREATE TABLE team_outbox (
            event_id INTEGER PRIMARY KEY REFERENCES label_events(id) ON DELETE CASCADE)"""
    )


@migrations()
def m006_items_with_media(db: Database) -> None:
    """A partial index of the items with a media file: asking whether any item has one
    (the window does at open) no longer reads every item of a project without media."""
    db.execute("CREATE INDEX items_with_media ON items(pos) "
               "WHERE media IS NOT NULL AND media != ''")


@migrations()
def m007_list_facts(db: Database) -> None:
    """What the item list sorts and filters by, per item and per system and item, in
    indexed columns (see :mod:`reviewer.store.list_facts`), filled from the project's
    items, decisions and alignments: the list then orders 10,000,000 items in SQL."""
    from reviewer.store.list_facts import create_list_facts

    create_list_facts(db)


@migrations()
def m008_score_groups(db: Database) -> None:
    """``score_groups``: each system's original alignments grouped by both levels' (errors,
    units) and categories, with how many items each group holds and their S/D/I sums: all a
    score summary reads (:mod:`reviewer.store.score_groups`), a few thousand rows where the
    alignments are millions.

    The groups are derived data, computed when missing. Triggers drop a system's groups
    whenever one of its original alignments is inserted (or replaced), updated or deleted
    (also by a cascade), whichever code writes; dropping costs far less per row than keeping
    sums current would, and the groups are computed again at the end of an import or at
    the next score.
    """
    sums = ("main_s", "main_d", "main_i", "second_s", "second_d", "second_i")
    db.execute(
        f"""CREATE TABLE score_groups (
            system TEXT NOT NULL, main_errors INTEGER NOT NULL, main_units INTEGER NOT NULL,
            second_errors INTEGER NOT NULL, second_units INTEGER NOT NULL,
            categories TEXT NOT NULL, items INTEGER NOT NULL,
            {", ".join(f"{c} INTEGER NOT NULL" for c in sums)},
            PRIMARY KEY (system, main_errors, main_units, second_errors, second_units,
                         categories)) WITHOUT ROWID"""
    )
    drop = "DELETE FROM score_groups WHERE system = {}.system;"
    db.execute("CREATE TRIGGER score_groups_insert AFTER INSERT ON alignments "
               f"WHEN NEW.variant = 'original' BEGIN {drop.format('NEW')} END")
    db.execute("CREATE TRIGGER score_groups_delete AFTER DELETE ON alignments "
               f"WHEN OLD.variant = 'original' BEGIN {drop.format('OLD')} END")
    db.execute("CREATE TRIGGER score_groups_update AFTER UPDATE OF system, variant, "
               "main_errors, main_units, second_errors, second_units, categories, "
               f"{', '.join(sums)} ON alignments "
               "WHEN OLD.variant = 'original' OR NEW.variant = 'original' "
               f"BEGIN {drop.format('OLD')} {drop.format('NEW')} END")



@migrations()
def m009_text_search(db: Database) -> None:
    """``text_search_stale``: the items whose entries in the item list's text index are
    not to be trusted (:mod:`reviewer.store.text_search`). The index itself, and the
    triggers that fill this table, are made only when a large project first needs them
    (at the end of an import, or in the background in the window), never here: opening a
    project of 10,000,000 items stays instant."""
    from reviewer.store.text_search import create_stale_set

    create_stale_set(db)


@migrations()
def m010_list_filter_indexes(db: Database) -> None:
    """The item list's filters read one covering index each: ``list_system_facts`` gets
    the item's verdict, ``list_facts_filters`` and ``list_system_facts_filters`` index every
    filter's columns, and the item count is kept so that opening does not count the items
    (:mod:`reviewer.store.list_facts`)."""
    from reviewer.store.list_facts import add_filter_indexes

    add_filter_indexes(db)


@migrations()
def m011_kept_ranking(db: Database) -> None:
    """``kept_suspects``: a large project's last suspicion ranking, kept so that opening it
    again does not rank it again (:mod:`reviewer.store.kept_ranking`)."""
    from reviewer.store.kept_ranking import create_table

    create_table(db)


@migrations()
def m012_covering_sort_indexes(db: Database) -> None:
    """Each sort index of the item list also holds the position and every filter's column
    of its table, so that a filtered list read in that order reads no table row
    (:data:`reviewer.store.list_facts.INDEXES`); both facts tables get ``error_systems``,
    a bit per system that errs on the item, so that one system's errors are such a column
    in every order. The facts' indexes made by m007 and m010 with other columns are made
    again: minutes at 10,000,000 items, once."""
    from reviewer.store.list_facts import match_indexes

    match_indexes(db)


SCHEMA_VERSION = len(migrations._migrations)
