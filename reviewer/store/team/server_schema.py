"""A shared project on the server: one PostgreSQL schema, its group roles, grants and policies.

The schema holds ``settings`` (kind, benchmark version), ``benchmark`` (the project's
benchmark tables as shared, one JSON row each, so that ``join`` rebuilds them exactly) and
``events`` (the decision history). The server, not the client, enforces the rules:

* every event gets the server's order (``seq``, in commit order: an advisory lock taken
  by the insert trigger serialises writers) and its author's own running number
  (``annotator_seq``); its client-made ``uid`` makes a retried push a no-op;
* events are only ever inserted: no role is granted UPDATE or DELETE, and a trigger
  refuses both even to the owner;
* row-level security lets a role insert events only under its own name, and only members
  of the project's adjudicator role insert adjudications;
* the observer role reads; the annotator role also inserts; the adjudicator role also
  adjudicates. A person is a login role made a member of one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLE_KINDS = ("annotator", "adjudicator", "observer")
FORMAT_VERSION = "1"
EVENT_COLUMNS = ("uid", "annotator", "item_id", "at", "action", "target", "before", "after")


def ident(name: str) -> str:
    """``name`` quoted as a PostgreSQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` quoted as a PostgreSQL string literal."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class SharedSchema:
    """The names of one shared project's schema and roles on the server."""

    name: str

    @property
    def schema(self) -> str:
        """The quoted schema name."""
        return ident(self.name)

    def table(self, table: str) -> str:
        """A quoted, schema-qualified table name."""
        return f"{self.schema}.{ident(table)}"

    def group(self, kind: str) -> str:
        """The (unquoted) name of the project's ``annotator``/``adjudicator``/``observer`` role."""
        return f"reviewer_{self.name}_{kind}"

    def create_sql(self) -> list[str]:
        """The statements that make the schema, its roles and its rules (run by the owner)."""
        s, events = self.schema, self.table("events")
        lock_key = literal(f"reviewer/{self.name}")
        adjudicator = literal(self.group("adjudicator"))
        observer, annotator = ident(self.group("observer")), ident(self.group("annotator"))
        statements = [f"CREATE SCHEMA {s}"]
        statements += [_create_role(self.group(kind)) for kind in ROLE_KINDS]
        statements += [
            f"GRANT {observer} TO {annotator}",
            f"GRANT {annotator} TO {ident(self.group('adjudicator'))}",
            f"CREATE TABLE {self.table('settings')} (key text PRIMARY KEY, value text NOT NULL)",
            f"""CREATE TABLE {self.table('benchmark')} (
                tbl text NOT NULL, pos bigint NOT NULL, row text NOT NULL,
                PRIMARY KEY (tbl, pos))""",
            f"""CREATE TABLE {events} (
                seq bigint PRIMARY KEY,
                uid uuid NOT NULL UNIQUE,
                annotator text NOT NULL,
                annotator_seq bigint NOT NULL,
                item_id text NOT NULL,
                at text NOT NULL,
                action text NOT NULL CHECK (action IN ('set', 'undo', 'redo', 'adjudicate')),
                target uuid REFERENCES {events} (uid),
                before text NOT NULL,
                after text NOT NULL,
                UNIQUE (annotator, annotator_seq))""",
            f"CREATE SEQUENCE {self.table('event_order')}",
            f"""CREATE FUNCTION {self.table('order_event')}() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtext({lock_key}));
                    NEW.seq := nextval({literal(self.table('event_order'))});
                    SELECT coalesce(max(annotator_seq), 0) + 1 INTO NEW.annotator_seq
                        FROM {events} WHERE annotator = NEW.annotator;
                    RETURN NEW;
                END $$""",
            f"""CREATE TRIGGER order_event BEFORE INSERT ON {events}
                FOR EACH ROW EXECUTE FUNCTION {self.table('order_event')}()""",
            f"""CREATE FUNCTION {self.table('append_only')}() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the history of shared project % is append-only: '
                        'events are never changed or deleted', {literal(self.name)};
                END $$""",
            f"""CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {events}
                FOR EACH STATEMENT EXECUTE FUNCTION {self.table('append_only')}()""",
            f"ALTER TABLE {events} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY everyone_reads ON {events} FOR SELECT USING (true)",
            f"""CREATE POLICY own_name_only ON {events} FOR INSERT WITH CHECK (
                annotator = current_user AND (action <> 'adjudicate'
                    OR pg_has_role(current_user, {adjudicator}, 'MEMBER')))""",
            f"GRANT USAGE ON SCHEMA {s} TO {observer}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {observer}",
            f"GRANT INSERT ({', '.join(EVENT_COLUMNS)}) ON {events} TO {annotator}",
        ]
        return statements

    def member_sql(self, person: str, kind: str) -> list[str]:
        """What an administrator runs to let ``person`` work on the project as ``kind``."""
        return [_create_role(person, login=True),
                f"GRANT {ident(self.group(kind))} TO {ident(person)}"]


def _create_role(name: str, *, login: bool = False) -> str:
    # CREATE ROLE has no IF NOT EXISTS; a DO block makes it idempotent.
    option = "LOGIN" if login else "NOLOGIN"
    return (f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(name)}) "
            f"THEN CREATE ROLE {ident(name)} {option}; END IF; END $$")


def admin_sql(schema: SharedSchema, person: str = "alice") -> list[str]:
    """The SQL an administrator runs to add ``person``, one line per role they may take."""
    lines = [f"CREATE ROLE {ident(person)} LOGIN;  -- then, in psql: \\password {person}"]
    for kind in ROLE_KINDS:
        lines.append(f"GRANT {ident(schema.group(kind))} TO {ident(person)};  -- as {kind}")
    return lines
