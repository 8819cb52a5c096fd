"""The importer's last step: the export written into the database in one transaction, in bulk.

Each writer compares what the export wants with what the database holds (the diff) and writes
only the difference, counting each row it creates, changes, ends or removes.
"""

from annuaire.aaf.apply.links import LinkWriter
from annuaire.aaf.apply.memberships import MembershipWriter
from annuaire.aaf.apply.people import PeopleWriter
from annuaire.aaf.apply.structures import StructureWriter


class Applier(StructureWriter, PeopleWriter, MembershipWriter, LinkWriter):
    """Writes the export into the database; counts each row it creates or changes."""

    def run(self) -> None:
        self.write_nomenclatures()
        self.write_schools()
        self.write_people()
        self.write_divisions_and_groups()
        self.write_memberships()
        self.write_guardianships_and_contacts()
        self.write_assignments()
