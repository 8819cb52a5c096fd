"""The directory import's counters and origins in French words.

The importer counts with keys (`student_memberships_created`, `accounts_created`...);
`COUNT_LABELS` is the one place that says them in French. The history pages' reads are in
`annuaire.selectors.imports`.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# Counter key of the importer -> French words, in the order they are shown.
COUNT_LABELS: dict[str, Promise] = {
    "schools_created": ngettext_lazy("%(count)s établissement créé", "%(count)s établissements créés", "count"),
    "schools_changed": ngettext_lazy(
        "%(count)s fiche d’établissement mise à jour", "%(count)s fiches d’établissement mises à jour", "count"
    ),
    "student_memberships_created": ngettext_lazy("%(count)s élève ajouté", "%(count)s élèves ajoutés", "count"),
    "student_memberships_changed": ngettext_lazy("%(count)s élève mis à jour", "%(count)s élèves mis à jour", "count"),
    "student_memberships_ended": ngettext_lazy("%(count)s élève sorti", "%(count)s élèves sortis", "count"),
    "parent_memberships_created": ngettext_lazy(
        "%(count)s responsable légal ajouté", "%(count)s responsables légaux ajoutés", "count"
    ),
    "parent_memberships_changed": ngettext_lazy(
        "%(count)s responsable légal mis à jour", "%(count)s responsables légaux mis à jour", "count"
    ),
    "parent_memberships_ended": ngettext_lazy(
        "%(count)s responsable légal sorti", "%(count)s responsables légaux sortis", "count"
    ),
    "teacher_memberships_created": ngettext_lazy(
        "%(count)s enseignant ajouté", "%(count)s enseignants ajoutés", "count"
    ),
    "teacher_memberships_changed": ngettext_lazy(
        "%(count)s enseignant mis à jour", "%(count)s enseignants mis à jour", "count"
    ),
    "teacher_memberships_ended": ngettext_lazy("%(count)s enseignant sorti", "%(count)s enseignants sortis", "count"),
    "staff_memberships_created": ngettext_lazy("%(count)s personnel ajouté", "%(count)s personnels ajoutés", "count"),
    "staff_memberships_changed": ngettext_lazy(
        "%(count)s personnel mis à jour", "%(count)s personnels mis à jour", "count"
    ),
    "staff_memberships_ended": ngettext_lazy("%(count)s personnel sorti", "%(count)s personnels sortis", "count"),
    "direction_memberships_created": ngettext_lazy(
        "%(count)s membre de la direction ajouté", "%(count)s membres de la direction ajoutés", "count"
    ),
    "direction_memberships_changed": ngettext_lazy(
        "%(count)s membre de la direction mis à jour", "%(count)s membres de la direction mis à jour", "count"
    ),
    "direction_memberships_ended": ngettext_lazy(
        "%(count)s membre de la direction sorti", "%(count)s membres de la direction sortis", "count"
    ),
    "accounts_created": ngettext_lazy("%(count)s compte créé", "%(count)s comptes créés", "count"),
    "accounts_changed": ngettext_lazy("%(count)s compte mis à jour", "%(count)s comptes mis à jour", "count"),
    "divisions_created": ngettext_lazy("%(count)s classe créée", "%(count)s classes créées", "count"),
    "divisions_changed": ngettext_lazy("%(count)s classe mise à jour", "%(count)s classes mises à jour", "count"),
    "groups_created": ngettext_lazy("%(count)s groupe créé", "%(count)s groupes créés", "count"),
    "group_memberships_created": ngettext_lazy(
        "%(count)s inscription dans un groupe", "%(count)s inscriptions dans des groupes", "count"
    ),
    "group_memberships_removed": ngettext_lazy(
        "%(count)s inscription retirée d’un groupe", "%(count)s inscriptions retirées de groupes", "count"
    ),
    "subjects_created": ngettext_lazy("%(count)s matière créée", "%(count)s matières créées", "count"),
    "mefs_created": ngettext_lazy("%(count)s niveau (MEF) créé", "%(count)s niveaux (MEF) créés", "count"),
    "mefs_changed": ngettext_lazy("%(count)s niveau (MEF) mis à jour", "%(count)s niveaux (MEF) mis à jour", "count"),
    "assignments_created": ngettext_lazy(
        "%(count)s service d’enseignement créé", "%(count)s services d’enseignement créés", "count"
    ),
    "assignments_changed": ngettext_lazy(
        "%(count)s service d’enseignement mis à jour", "%(count)s services d’enseignement mis à jour", "count"
    ),
    "assignments_removed": ngettext_lazy(
        "%(count)s service d’enseignement retiré", "%(count)s services d’enseignement retirés", "count"
    ),
    "guardianships_created": ngettext_lazy(
        "%(count)s lien de responsabilité légale créé", "%(count)s liens de responsabilité légale créés", "count"
    ),
    "guardianships_changed": ngettext_lazy(
        "%(count)s lien de responsabilité légale mis à jour",
        "%(count)s liens de responsabilité légale mis à jour",
        "count",
    ),
    "guardianships_removed": ngettext_lazy(
        "%(count)s lien de responsabilité légale retiré", "%(count)s liens de responsabilité légale retirés", "count"
    ),
    "contacts_created": ngettext_lazy(
        "%(count)s contact d’élève ajouté", "%(count)s contacts d’élèves ajoutés", "count"
    ),
    "contacts_changed": ngettext_lazy(
        "%(count)s contact d’élève mis à jour", "%(count)s contacts d’élèves mis à jour", "count"
    ),
    "contacts_removed": ngettext_lazy(
        "%(count)s contact d’élève retiré", "%(count)s contacts d’élèves retirés", "count"
    ),
    "relatives_without_student": ngettext_lazy(
        "%(count)s responsable sans élève dans l’export, ignoré",
        "%(count)s responsables sans élève dans l’export, ignorés",
        "count",
    ),
    "read_EtabEducNat": ngettext_lazy(
        "%(count)s fiche d’établissement lue", "%(count)s fiches d’établissement lues", "count"
    ),
    "read_MatiereEducNat": ngettext_lazy("%(count)s fiche de matière lue", "%(count)s fiches de matière lues", "count"),
    "read_MefEducNat": ngettext_lazy(
        "%(count)s fiche de niveau (MEF) lue", "%(count)s fiches de niveau (MEF) lues", "count"
    ),
    "read_Eleve": ngettext_lazy("%(count)s fiche d’élève lue", "%(count)s fiches d’élève lues", "count"),
    "read_PersRelEleve": ngettext_lazy(
        "%(count)s fiche de responsable lue", "%(count)s fiches de responsable lues", "count"
    ),
    "read_PersEducNat": ngettext_lazy(
        "%(count)s fiche de personnel lue", "%(count)s fiches de personnel lues", "count"
    ),
}

ORIGIN_LABELS: dict[str, Promise] = {
    "drop-folder": _("dépôt automatique"),
    "command": _("commande"),
    "ldap": _("annuaire LDAP"),
    "demo": _("données de démonstration"),
}


def count_labels(counts: dict[str, int]) -> list[str]:
    """The non-zero counters in French words, in `COUNT_LABELS` order; an unknown key as it is."""
    known = [str(label % {"count": counts[key]}) for key, label in COUNT_LABELS.items() if counts.get(key)]
    unknown = [f"{key} : {count}" for key, count in sorted(counts.items()) if key not in COUNT_LABELS and count]
    return known + unknown


def origin_label(origin: str) -> str:
    label = ORIGIN_LABELS.get(origin)
    return str(label) if label is not None else origin
