"""Names of people, schools and streets, the staff's functions, and the helpers that fold and apportion."""

import math
import re
import unicodedata
from collections.abc import Sequence


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = [
    *_words(
        "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY ROUX "
        "DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE "
        "ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT "
        "MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER "
        "DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD "
        "ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX "
        "OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN "
        "DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER "
        "FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD "
        "MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT "
        "DANIEL COUSIN GERMAIN BRETON BESSON LANGLOIS REMY PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL "
        "WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ETIENNE POULAIN TESSIER "
        "CHAUVIN BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE PERRET BARTHELEMY CORDIER PICHON "
        "LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE DIALLO TRAORE NGUYEN TRAN KONE HADDAD COHEN LEVY "
        "BENSAID CAMARA SYLLA DIARRA MENDY WANG CHEN ZHANG OUMAR BELKACEM"
    ),
    *("D'ALMEIDA", "N'DIAYE", "LE GALL", "LE GOFF", "DA SILVA", "BEN ALI", "DUPONT-MOREAU", "DE LA TOUR"),
]
GIRLS = _words(
    "Emma Jade Louise Alice Chloé Lina Léa Rose Anna Mila Inès Ambre Julia Mia Léna Manon Juliette Lou Zoé "
    "Camille Agathe Jeanne Lucie Éva Nina Sarah Romane Iris Adèle Louna Margaux Charlotte Victoria Léonie "
    "Clémence Maëlys Héloïse Anaïs Yasmine Fatoumata Aïcha Marie-Lou Anne-Sophie Nour Sofia Salomé Capucine"
)
BOYS = _words(
    "Gabriel Léo Raphaël Arthur Louis Jules Adam Maël Lucas Hugo Noah Liam Gabin Sacha Paul Nathan Aaron "
    "Mohamed Ethan Tom Éden Théo Noé Victor Martin Axel Timéo Marius Nolan Enzo Baptiste Mathis Rayan Samuel "
    "Antoine Clément Jean-Baptiste Côme Joachim Amir Ibrahim Moussa Elias Youssef Malo Anatole Joseph"
)
WOMEN = _words(
    "Nathalie Isabelle Sylvie Catherine Valérie Sandrine Christine Stéphanie Céline Sophie Véronique Aurélie "
    "Hélène Caroline Laurence Émilie Julie Karima Fatima Mariam Leïla Amélie Anne-Claire Marie-Hélène Élodie"
)
MEN = _words(
    "Philippe Stéphane Christophe Frédéric Laurent Olivier Nicolas Éric Thierry Sébastien Karim Mamadou "
    "Jérôme Vincent David Pascal Franck Rachid Jean-Marc Pierre-Yves Hervé Benoît François Grégory Mehdi"
)
COLLEGE_NAMES = (
    "VOLTAIRE", "GEORGES BRASSENS", "JEAN MOULIN", "GEORGE SAND", "VICTOR HUGO", "JULES FERRY", "PIERRE CURIE",
    "MARIE CURIE", "JEAN JAURES", "COLETTE", "CLAUDE DEBUSSY", "FRANCOISE DOLTO", "RAVEL", "MOLIERE",
    "LA FONTAINE", "JEAN-BAPTISTE SAY", "GUILLAUME APOLLINAIRE", "ALICE GUY", "ANNE FRANK", "ARAGO",
    "BEAUMARCHAIS", "CAMILLE CLAUDEL", "CHARLES PEGUY", "CLEMENT ADER", "CONDORCET", "DIDEROT", "DORA MAAR",
    "EDGAR VARESE", "EDMOND MICHELET", "ELSA TRIOLET", "EMILE ZOLA", "EUGENE DELACROIX", "FRANCOIS COUPERIN",
    "GABRIEL FAURE", "GERARD PHILIPE", "GUSTAVE FLAUBERT", "HECTOR BERLIOZ", "HENRI BERGSON", "JACQUES PREVERT",
    "JEAN DE LA FONTAINE", "JEAN-FRANCOIS OEBEN", "JOSEPH BARA", "JULES VERNE", "LAMARTINE", "LAVOISIER",
    "LEON BLUM", "LUCIE AUBRAC", "MAURICE RAVEL", "MAXIMILIEN VOX", "MONTAIGNE", "MONTGOLFIER", "OLYMPE DE GOUGES",
    "PAUL VERLAINE", "PIERRE MENDES FRANCE", "POQUELIN", "RAYMOND QUENEAU", "ROBERT DOISNEAU", "ROGNONI",
    "SAINT-EXUPERY", "SEVIGNE", "SONIA DELAUNAY", "STEPHANE MALLARME", "THEOPHILE GAUTIER", "TURGOT",
    "VALMY", "VERLOMME", "ANDRE CITROEN", "AIME CESAIRE", "ALBERT CAMUS", "ALPHONSE DAUDET", "ANTOINE COYSEVOX",
    "AUGUSTE RENOIR", "BERTHE MORISOT", "BORIS VIAN", "CESAR FRANCK", "CHARLES MOULIN", "CLAUDE CHAPPE",
    "DANIELLE CASANOVA", "EVARISTE GALOIS", "FLORA TRISTAN", "GEORGES COURTELINE", "GERMAINE TILLION",
    "HONORE DE BALZAC", "JEAN PERRIN", "JEAN-ANTOINE DE BAIF", "LAZARE PONTICELLI", "MARX DORMOY",
    "MATHURIN REGNIER", "MICHELET", "PAUL BERT", "PIERRE ALVISET", "SUZANNE LACORE", "THOMAS MANN",
)  # fmt: skip
LYCEE_NAMES = (
    "CHARLEMAGNE", "HELENE BOUCHER", "VICTOR DURUY", "SOPHIE GERMAIN", "PAUL VALERY", "MAURICE RAVEL",
    "DIDEROT", "JULES SIEGFRIED", "SIMONE WEIL", "ARAGO", "CHAPTAL", "EDGAR QUINET", "LAVOISIER",
    "HENRI BERGSON", "JACQUES DECOUR", "ELISA LEMONNIER", "FENELON", "LAMARTINE", "MONTAIGNE", "RACINE",
)  # fmt: skip
STREETS = (
    "RUE DE RIVOLI", "BOULEVARD VOLTAIRE", "RUE DE LA ROQUETTE", "AVENUE DE CLICHY", "RUE DE BELLEVILLE",
    "RUE DES PYRENEES", "BOULEVARD DE MAGENTA", "RUE DE VAUGIRARD", "AVENUE D'ITALIE", "RUE DU FAUBOURG SAINT-ANTOINE",
    "RUE DE CHARONNE", "RUE ORDENER", "RUE DE MENILMONTANT", "AVENUE PARMENTIER", "RUE LECOURBE",
)  # fmt: skip

# Non-teaching functions, in the order a school gets them: (code, label, discipline code, label).
STAFF_FUNCTIONS = (
    ("DIR", "DIRECTION", "D0010", "DIRECTION CHEF D'ETABLISSEMENT"),
    ("EDU", "EDUCATION", "E0030", "EDUCATION  (CE ,CPE)"),
    ("DIR", "DIRECTION", "D0011", "DIRECTION ADJOINT AU CHEF ETABLISSEMENT"),
    ("DOC", "DOCUMENTATION", "L0080", "DOCUMENTATION"),
    ("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    ("AED", "ASSISTANT D'EDUCATION", "S0054", "ENCADRE. SUR. DES ELEVES (HORS INTERNAT)"),
    ("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    ("EDU", "EDUCATION", "E0030", "EDUCATION  (CE ,CPE)"),
    ("AED", "ASSISTANT D'EDUCATION", "S0054", "ENCADRE. SUR. DES ELEVES (HORS INTERNAT)"),
    ("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    ("ORI", "ORIENTATION", "O0040", "ORIENTATION"),
    ("AED", "ASSISTANT D'EDUCATION", "S0093", "AIDE DEVOIRS ET LECONS"),
)
NON_TEACHING_SHARE = 0.15


def fold(text: str) -> str:
    """ASCII lower case for e-mail addresses: accents dropped, spaces and apostrophes removed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", ascii_text.lower())


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in integers proportional to `weights` (largest remainders; exact sum)."""
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [total if index == 0 else 0 for index in range(len(weights))]
    shares = [total * weight / weight_sum for weight in weights]
    counts = [math.floor(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda index: (counts[index] - shares[index], index))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts
