"""A province-sized corpus of listings and events, in varied French, from a seed.

The benchmark needs content that looks like what contributors write: every field
of a listing filled in, codes from the real vocabularies, and descriptions of a
few paragraphs whose words vary enough that the search index grows as it would
with real text. Same seed and sizes, same files, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from vitrine.content.naming import slugify  # noqa: E402
from vitrine.content.vocabulary import load_vocabularies  # noqa: E402

VOCABULARIES = ROOT / "content" / "vocabulaires.yml"
LOGOS = 40  # distinct logo files, shared by listings
LOGO_TIME = 1_767_225_600  # 2026-01-01

# Municipality → territory code: addresses and territories stay consistent.
TOWNS = {
    "Sherbrooke": "sherbrooke", "Lac-Mégantic": "le-granit", "Lac-Drolet": "le-granit",
    "Stornoway": "le-granit", "Val-des-Sources": "les-sources", "Danville": "les-sources",
    "Wotton": "les-sources", "East Angus": "le-haut-saint-francois",
    "Cookshire-Eaton": "le-haut-saint-francois", "Weedon": "le-haut-saint-francois",
    "Scotstown": "le-haut-saint-francois", "Windsor": "le-val-saint-francois",
    "Richmond": "le-val-saint-francois", "Valcourt": "le-val-saint-francois",
    "Coaticook": "coaticook", "Compton": "coaticook", "Waterville": "coaticook",
    "Magog": "memphremagog", "Stanstead": "memphremagog", "North Hatley": "memphremagog",
    "Ayer's Cliff": "memphremagog", "Cowansville": "brome-missisquoi",
    "Lac-Brome": "brome-missisquoi", "Sutton": "brome-missisquoi", "Bedford": "brome-missisquoi",
    "Farnham": "brome-missisquoi", "Granby": "la-haute-yamaska", "Waterloo": "la-haute-yamaska",
    "Bromont": "brome-missisquoi", "Saint-Paul-d'Abbotsford": "la-haute-yamaska",
}  # fmt: skip
STREETS = [
    "rue King Ouest", "rue Wellington Sud", "boulevard de Portland", "rue Principale",
    "rue du Dépôt", "chemin de la Rivière", "rue Sherbrooke", "rue Frontenac", "rue Laval",
    "boulevard Industriel", "rue des Érables", "chemin du Lac", "rue Saint-Jacques",
    "rue de l'Église", "route 143", "rue Galt Est", "rue Belvédère Nord", "rue Denison Est",
]  # fmt: skip
FIRST_NAMES = [
    "Geneviève", "Mathieu", "Isabelle", "François", "Nathalie", "Olivier", "Sophie", "Étienne",
    "Marie-Ève", "Jean-Philippe", "Catherine", "Alexandre", "Mélanie", "Sébastien", "Julie",
    "Maxime", "Josée", "Louis", "Amélie", "Patrick", "Chantal", "Félix", "Karine", "Nicolas",
]  # fmt: skip
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier",
]  # fmt: skip
ROLES = [
    "directrice générale", "directeur général", "coordonnatrice", "responsable des ventes",
    "chargé de projets", "agente de développement", "membre fondateur", "présidente",
]  # fmt: skip
FORM_PREFIX = {
    "cooperative-de-travail": "Coopérative de travail",
    "cooperative-de-travailleurs-actionnaire": "Coopérative de travailleurs actionnaire",
    "cooperative-de-solidarite": "Coopérative de solidarité",
    "cooperative-de-consommateurs": "Coopérative de consommateurs",
    "cooperative-de-producteurs": "Coopérative de producteurs",
    "mutuelle": "Mutuelle",
    "obnl": "",
}
NAME_HEADS = [
    "Atelier", "Ressourcerie", "Cuisine", "Carrefour", "Centre", "Réseau", "Groupe", "Maison",
    "Fabrique", "Brigade", "Collectif", "Comptoir", "Jardins", "Ateliers", "Chantier", "Relais",
]  # fmt: skip
NAME_WORDS = [
    "l'Érablière", "la Passerelle", "l'Envol", "la Ruche", "l'Étincelle", "la Boussole",
    "l'Horizon", "la Source", "l'Escale", "la Cordée", "l'Alliance", "la Traversée", "l'Élan",
    "la Marée", "l'Ancrage", "la Grange", "l'Entraide", "la Clairière", "l'Aubier", "la Forge",
    "l'Oasis", "la Courtepointe", "l'Îlot", "la Rivière", "l'Arbre à pain", "la Fourmilière",
]  # fmt: skip

# Per sector: what is sold, in a few words (the start of offer items and sentences).
OFFERS = {
    "traiteur-alimentation": ["boîtes à lunch", "buffets froids", "repas congelés", "pauses-café", "paniers de légumes", "conserves maison", "service de cafétéria"],
    "entretien-menager": ["entretien ménager de bureaux", "désinfection des locaux", "lavage de vitres", "entretien après sinistre", "nettoyage de tapis"],
    "imprimerie-communication": ["impression numérique", "affiches grand format", "conception graphique", "rapports annuels", "infolettres", "sérigraphie sur textile"],
    "recuperation-recyclage": ["collecte de matières résiduelles", "récupération de mobilier", "déchiquetage sécurisé", "réemploi de matériaux", "compostage"],
    "demenagement-transport": ["déménagement de bureaux", "livraison à vélo", "entreposage", "transport adapté", "livraison locale"],
    "amenagement-paysager": ["aménagement paysager", "verdissement de stationnements", "entretien des espaces verts", "plantation d'arbres", "toits végétalisés"],
    "informatique": ["reconditionnement d'ordinateurs", "soutien informatique", "récupération de matériel électronique", "sites Web accessibles", "effacement sécurisé des données"],
    "formation-insertion": ["plateaux de travail", "formation en entreprise", "stages d'insertion", "accompagnement en emploi", "francisation en milieu de travail"],
    "location-salles-evenements": ["location de salles", "organisation de colloques", "équipement audiovisuel", "service de traiteur sur place", "hébergement de groupes"],
    "sous-traitance-industrielle": ["assemblage de pièces", "emballage et conditionnement", "étiquetage", "contrôle de qualité", "couture industrielle"],
    "ebenisterie": ["mobilier de bureau sur mesure", "meubles en bois recyclé", "présentoirs", "réparation de mobilier", "jeux en bois"],
    "arts-culture": ["animation culturelle", "spectacles jeunesse", "médiation artistique", "captation vidéo", "murales"],
    "services-conseils": ["accompagnement en gouvernance", "études de faisabilité", "plans d'affaires", "approvisionnement responsable", "mesure d'impact social"],
}  # fmt: skip
CLIENTS = [
    "les municipalités", "les établissements de santé", "les cégeps et les universités",
    "les entreprises privées", "les organismes communautaires", "les caisses Desjardins",
    "les écoles primaires et secondaires", "les centres de la petite enfance",
    "les ministères et organismes publics", "les entreprises manufacturières",
]  # fmt: skip
QUALITIES = [
    "fiable", "durable", "abordable", "de proximité", "sur mesure", "certifié", "rapide",
    "soigné", "écoresponsable", "adapté aux grands volumes", "personnalisé", "local",
]  # fmt: skip
VERBS = [
    "offre", "propose", "réalise", "conçoit", "prend en charge", "assure", "développe",
    "fabrique", "met en place", "coordonne",
]  # fmt: skip
PEOPLE = [
    "des personnes éloignées du marché du travail", "des jeunes en parcours d'insertion",
    "des personnes vivant avec une limitation fonctionnelle", "des personnes immigrantes",
    "des travailleuses et travailleurs expérimentés", "des membres de la communauté",
    "des personnes en réorientation de carrière", "des étudiantes et étudiants",
]  # fmt: skip
SENTENCES = [
    "Depuis {year}, {name} {verb} {offer} {quality} pour {clients} de la région de {town}.",
    "Notre équipe de {count} personnes {verb} chaque semaine {offer} pour {clients}.",
    "Nous embauchons et formons {people}, qui acquièrent un métier et une expérience reconnue.",
    "Chaque contrat permet de créer des emplois durables à {town} et dans les environs.",
    "Nos clients apprécient un service {quality}, des prix concurrentiels et une équipe à l'écoute.",
    "Nous travaillons avec {clients} pour réduire leur empreinte environnementale.",
    "La coopérative réinvestit ses surplus dans la formation de {people}.",
    "En {year}, nous avons ajouté {offer} à notre offre, à la demande de {clients}.",
    "Un devis est préparé en moins de {days} jours ouvrables, sans frais.",
    "Nos installations de {town} accueillent les visites d'acheteurs sur rendez-vous.",
    "Nous privilégions les fournisseurs locaux et les matériaux {quality}s.",
    "{name} est membre du Réseau des entreprises d'économie sociale de l'Estrie.",
    "Le conseil d'administration réunit des employés, des usagers et des partenaires du milieu.",
    "Nous pouvons répondre à des appels d'offres publics et à des commandes récurrentes.",
    "Les profits servent notre mission : {mission}",
    "Plus de {count} organisations nous font confiance pour {offer}.",
    "Notre savoir-faire couvre aussi {specialty}, {specialty2} et {specialty3}.",
]  # fmt: skip
IMPACTS = [
    "{count} emplois pour {people}",
    "{tonnes} tonnes de matières détournées de l'enfouissement en {year}",
    "{count} personnes formées chaque année",
    "{percent} % des achats faits auprès de fournisseurs de l'Estrie",
    "{count} organismes communautaires soutenus",
    "{tonnes} tonnes de gaz à effet de serre évitées",
]  # fmt: skip
EVENT_TITLES = {
    "formation": ["Formation : {topic}", "Atelier pratique sur {topic}"],
    "maillage": ["Matinée de maillage à {town}", "Rencontres acheteurs–entreprises de {town}"],
    "visite": ["Visite de {name}", "Portes ouvertes chez {name}"],
    "conference": ["Conférence : {topic}", "Midi-conférence sur {topic}"],
    "sensibilisation": ["Kiosque de l'économie sociale à {town}", "Journée découverte à {town}"],
}  # fmt: skip
# Extra nouns so the search index sees a vocabulary closer to real prose.
_SPECIALTIES = (
    "ébénisterie fine, menuiserie, rembourrage, vitrail, céramique, tissage, reliure, "
    "torréfaction, boulangerie, fromagerie, apiculture, maraîchage, acériculture, herboristerie, "
    "horticulture, arboriculture, compostage, vermicompostage, ressourcerie, friperie, couture, "
    "retouches, cordonnerie, vélos, réparation d'électroménagers, électronique, téléphonie, "
    "infographie, photographie, vidéographie, traduction, révision linguistique, comptabilité, "
    "paie, tenue de livres, secrétariat, archivage, numérisation, déchiquetage, calligraphie, "
    "signalisation, lettrage, broderie, déneigement, tonte, élagage, émondage, ramonage, "
    "peinture, plâtrage, rénovation, isolation, calfeutrage, inspection, conciergerie, buanderie, "
    "nettoyage à sec, cuisine collective, dépannage alimentaire, épicerie solidaire, "
    "transport collectif, covoiturage, autopartage, halte-garderie, aide domestique, "
    "soins à domicile, répit, loisirs adaptés, camps de jour, théâtre, musique, cirque, danse, "
    "muséologie, patrimoine, généalogie, écotourisme, hébergement, camping, plein air, "
    "canot-camping, randonnée, ski de fond, raquette, pêche, observation des oiseaux"
)
SPECIALTIES = _SPECIALTIES.split(", ")
CAPACITY = "Jusqu'à {count} commandes par mois; délai de {days} jours ouvrables."
TOPICS = [
    "les appels d'offres publics", "l'approvisionnement responsable", "la mesure des retombées sociales",
    "les achats regroupés", "la sous-traitance auprès des entreprises adaptées", "l'économie circulaire",
]  # fmt: skip


@dataclass(frozen=True)
class Article:
    """What the baselines (bare Pelican, Hugo) get of a listing: title, date, body."""

    section: str  # "entreprises" or "evenements"
    slug: str
    title: str
    date: dt.date
    body: str


@dataclass
class Corpus:
    content: Path  # a Vitrine content folder: enterprises/, events/, vocabulaires.yml
    articles: list[Article]

    @property
    def enterprises(self) -> Path:
        return self.content / "enterprises"


def scalar(text: str) -> str:
    """YAML for one text: plain when YAML reads it back unchanged, else double-quoted."""
    risky = text[:1] in "-?:,[]{}#&*!|>'\"%@`" or ": " in text or " #" in text
    return json.dumps(text, ensure_ascii=False) if risky or text.endswith(":") else text


class Writer:
    """Draws every field from one seeded random generator, in a fixed order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vocabularies = load_vocabularies(VOCABULARIES)

    def pick(self, items, k: int | None = None):
        if k is None:
            return self.rng.choice(list(items))
        return self.rng.sample(list(items), k)

    def fill(self, template: str, **known) -> str:
        rng = self.rng
        slots = {
            "year": rng.randint(1985, 2025),
            "verb": self.pick(VERBS),
            "quality": self.pick(QUALITIES),
            "clients": self.pick(CLIENTS),
            "town": self.pick(TOWNS),
            "count": rng.randint(4, 180),
            "people": self.pick(PEOPLE),
            "days": rng.randint(2, 10),
            "tonnes": rng.randint(3, 900),
            "percent": rng.randint(30, 95),
            "topic": self.pick(TOPICS),
            "specialty": self.pick(SPECIALTIES),
            "specialty2": self.pick(SPECIALTIES),
            "specialty3": self.pick(SPECIALTIES),
            **known,
        }
        return _contract(template.format(**slots))

    def name(self, form: str) -> str:
        prefix = FORM_PREFIX[form]
        core = f"{self.pick(NAME_HEADS)} {self.pick(NAME_WORDS)}"
        if prefix and self.rng.random() < 0.6:
            core = f"{prefix} {self.pick(NAME_WORDS)}"
        return f"{core} de {self.pick(TOWNS)}"

    def description(self, name: str, offers: list[str], mission: str) -> str:
        paragraphs = []
        for number in range(self.rng.randint(3, 5)):
            sentences = [
                self.fill(self.pick(SENTENCES), name=name, offer=self.pick(offers), mission=mission)
                for _ in range(self.rng.randint(3, 5))
            ]
            if number == 0:
                sentences[0] = (
                    f"**{name}** {self.fill('{verb}')} {offers[0]} {self.fill('{quality}')}."
                )
            paragraphs.append(" ".join(sentences))
        if self.rng.random() < 0.5:
            items = "\n".join(f"- {offer[0].upper()}{offer[1:]}" for offer in offers)
            paragraphs.insert(2, f"Ce que nous offrons :\n\n{items}")
        return "\n\n".join(paragraphs)

    def enterprise(self, slug_taken: set[str], logo_count: int) -> tuple[str, str, Article]:
        rng, voc = self.rng, self.vocabularies
        form = self.pick(voc["formes_juridiques"])
        name = self.name(form)
        slug = base = slugify(name)
        while slug in slug_taken:
            slug = f"{base}-{rng.randint(2, 99_999)}"
        slug_taken.add(slug)
        sectors = self.pick([s for s in voc["secteurs"] if s in OFFERS], rng.randint(1, 3))
        offers = [o for s in sectors for o in self.pick(OFFERS[s], 2)]
        town = self.pick(TOWNS)
        territories = sorted({TOWNS[town], *self.pick(voc["territoires"], rng.randint(0, 2))})
        mission = self.fill(
            "Offrir {offer} {quality} à {clients} tout en créant des emplois pour {people}.",
            offer=offers[0],
        )
        person = f"{self.pick(FIRST_NAMES)} {self.pick(LAST_NAMES)}, {self.pick(ROLES)}"
        domain = slug[:40].rstrip("-")
        letters = "ABCEGHJKLMNPRSTVXY"
        postal = f"J{rng.randint(0, 9)}{self.pick(letters)} {rng.randint(0, 9)}{self.pick(letters)}{rng.randint(0, 9)}"
        added = dt.date(2026, 11, 27) - dt.timedelta(days=rng.randint(30, 900))
        updated = added + dt.timedelta(days=rng.randint(0, 29))
        lines = [
            "---",
            f"nom: {scalar(name)}",
            f"forme_juridique: {form}",
            f"mission: {scalar(mission)}",
            f"secteurs: [{', '.join(sectors)}]",
            "offre:",
        ]
        for offer in offers:
            text = self.fill(
                "{offer}, {quality}, pour {clients}; livraison partout à {town}.",
                offer=offer[0].upper() + offer[1:],
            )
            lines += [
                f"  - nom: {scalar(offer[0].upper() + offer[1:])}",
                f"    description: {scalar(text)}",
            ]
        lines += [
            f"territoires: [{', '.join(territories)}]",
            "adresse:",
            f"  rue: {scalar(f'{rng.randint(10, 4999)}, {self.pick(STREETS)}')}",
            f"  ville: {scalar(town)}",
            f"  code_postal: {postal}",
            "contact:",
            f"  personne: {scalar(person)}",
            f"  courriel: info@{domain}.example",
            f"  telephone: {self.pick(['819', '450', '873'])} 555-{rng.randint(0, 9999):04d}",
            f"  site_web: https://{domain}.example",
            f"langues: [{', '.join(sorted(self.pick(voc['langues'], rng.randint(1, 3))))}]",
            f"certifications: [{', '.join(self.pick(voc['certifications'], rng.randint(1, 3)))}]",
            f"capacite: {scalar(self.fill(CAPACITY))}",
            "impacts:",
            *[f"  - {scalar(self.fill(t))}" for t in self.pick(IMPACTS, rng.randint(2, 4))],
            f'neq: "{rng.randint(1140000000, 1179999999)}"',
            # What buyers check before contracting (issue 16), derived rather than drawn so
            # that the rest of a seed's corpus is unchanged.
            f"neq_verifie_le: {updated.isoformat()}",
            "capacite_contrat:",
            f"  montant_max: {25000 * (1 + len(slug) % 8)}",
            "  delai: 2 à 3 semaines",
            "  regroupement: oui",
            "  sous_traitance: non",
            "rena:",
            "  non_inscrite: oui",
            f"  verifie_le: {updated.isoformat()}",
            "revenu_quebec:",
            f"  attestation: {added.isoformat()}",
            f"  verifie_le: {updated.isoformat()}",
            "assurance:",
            "  montant: 2000000",
            f"  verifie_le: {updated.isoformat()}",
            "rbq:",
            f'  licence: "{1000 + sum(map(ord, slug)) % 9000}-{1000 + len(slug) * 97 % 9000}-01"',
            f"  verifie_le: {updated.isoformat()}",
            f"fondation: {rng.randint(1970, 2025)}",
            f"logo: images/logo-{rng.randrange(logo_count):02d}.png",
            f"date_ajout: {added.isoformat()}",
            f"date_mise_a_jour: {updated.isoformat()}",
            # The English site's text (no random draw: the rest of a seed's corpus is unchanged).
            "en:",
            f"  mission: {scalar(f'Serving organizations in {town} while creating jobs.')}",
            "  description: |",
            f"    A social economy enterprise of Estrie, based in {town}.",
            "",
            "    It sells to public bodies, co-operatives and private firms.",
            "---",
        ]
        body = self.description(name, offers, mission)
        text = "\n".join(lines) + "\n" + body + "\n"
        return slug, text, Article("entreprises", slug, name, updated, body)

    def event(self, number: int, slugs: list[str]) -> tuple[str, str, Article]:
        rng, voc = self.rng, self.vocabularies
        kind = self.pick(voc["types_evenements"])
        host = self.pick(slugs)
        titles = EVENT_TITLES.get(kind, ["Rencontre sur {topic}"])
        title = self.fill(self.pick(titles), name=host.replace("-", " ").title())
        start = dt.datetime(2026, 1, 5, 8, 0) + dt.timedelta(
            days=rng.randint(0, 700), minutes=30 * rng.randint(0, 18)
        )
        end = start + dt.timedelta(minutes=30 * rng.randint(2, 14))
        slug = f"{start:%Y-%m}-{slugify(title)[:60].rstrip('-')}-{number}"
        town = self.pick(TOWNS)
        involved = sorted(self.pick(slugs, min(len(slugs), rng.randint(1, 4))))
        lines = [
            "---",
            f"titre: {scalar(title)}",
            f"type: {kind}",
            f"debut: {start:%Y-%m-%d %H:%M}",
            f"fin: {end:%Y-%m-%d %H:%M}",
            "lieu:",
            f"  nom: {scalar(f'Salle communautaire de {town}')}",
            f"  adresse: {scalar(f'{rng.randint(10, 999)}, {self.pick(STREETS)}')}",
            f"  ville: {scalar(town)}",
            f"public: {self.pick(voc['publics'])}",
            f"prix: {self.pick(['0', '15', '25', '40'])}",
            f"inscription: https://rees-estrie.example/inscription/{slug}",
            f"entreprises: [{', '.join(involved)}]",
            "---",
        ]
        paragraphs = [
            " ".join(
                self.fill(self.pick(SENTENCES), name=title, offer="des rencontres", mission=title)
                for _ in range(rng.randint(2, 4))
            )
            for _ in range(rng.randint(2, 3))
        ]
        body = "\n\n".join(paragraphs)
        return (
            slug,
            "\n".join(lines) + "\n" + body + "\n",
            Article("evenements", slug, title, start.date(), body),
        )


_CONTRACTIONS = (
    (" à les ", " aux "),
    (" de les ", " des "),
    (" de des ", " de "),
    (" de le ", " du "),
)


def _contract(text: str) -> str:
    """French contractions the templates can't know: « à les » → « aux »."""
    for long, short in _CONTRACTIONS:
        text = text.replace(long, short)
    return text


def _png(seed: int) -> bytes:
    """A 16×16 one-colour PNG: a stand-in logo of realistic type, tiny on disk."""
    color = bytes(((seed * 53) % 256, (seed * 97) % 256, (seed * 193) % 256))
    raw = b"".join(b"\x00" + color * 16 for _ in range(16))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def generate(content: Path, enterprises: int, events: int, seed: int = 1) -> Corpus:
    """Write a Vitrine content folder (replacing it) and return it with its articles."""
    if content.exists():
        shutil.rmtree(content)
    for folder in ("enterprises", "events", "images"):
        (content / folder).mkdir(parents=True)
    shutil.copy(VOCABULARIES, content / "vocabulaires.yml")
    for number in range(LOGOS):
        logo = content / "images" / f"logo-{number:02d}.png"
        logo.write_bytes(_png(number))
        # Logos are older than any build, as in a real repository: one written seconds
        # before a build is not trusted by the record cache (RACY_NS), which would make
        # the first rebuild read every listing again.
        os.utime(logo, (LOGO_TIME, LOGO_TIME))
    writer = Writer(seed)
    taken: set[str] = set()
    articles = []
    for _ in range(enterprises):
        slug, text, article = writer.enterprise(taken, LOGOS)
        (content / "enterprises" / f"{slug}.md").write_text(text, encoding="utf-8")
        articles.append(article)
    slugs = sorted(taken)
    for number in range(events):
        slug, text, article = writer.event(number + 1, slugs)
        (content / "events" / f"{slug}.md").write_text(text, encoding="utf-8")
        articles.append(article)
    return Corpus(content, articles)
