"""The tests' own databases (tests/databases.py): each test's is as fresh as a copy of the template, and a
copy is lent again only when nothing wrote to it (PostgreSQL; on SQLite every test gets a new copy)."""
import sqlalchemy as sa

WRITES = {
    "a committed change": ["DELETE FROM code_change"],
    "a rolled-back change": ["BEGIN", "UPDATE catalog_code SET code = code", "ROLLBACK"],
    "a schema change": ["CREATE TABLE scratch (id integer)"],
}


def run(url: str, *statements: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    engine.dispose()


def test_a_copy_is_lent_again_only_if_nothing_wrote_to_it(databases, loaded_template, database_kind):
    with databases.copied(loaded_template) as read_only:
        run(read_only, "SELECT count(*) FROM catalog_code")
    with databases.copied(loaded_template) as lent:
        assert (lent == read_only) == (database_kind == "postgresql")
    for what, statements in WRITES.items():
        with databases.copied(loaded_template) as written:
            run(written, *statements)
        with databases.copied(loaded_template) as lent:
            assert lent != written, f"lent again after {what}"
