"""One validation of the text and addresses editors write, for every door.

The back-office and the workspace (through the models' `clean_fields`), the
API, the pack loader, the watcher and `resources add` all call these
functions, so what one door accepts every other accepts too, and every
publication (pages, feeds, exports, PDF) can show it.

- `clean_text(value, multiline)` is the one normalisation: line separators
  (a vertical tab from Word's Shift+Enter, U+2028, CR LF) become a line
  break in a multi-line text and a space elsewhere, other control
  characters, lone surrogates and non-characters are dropped, the text is
  Unicode NFC and has no blank at either end; a multi-line text ends with one
  line break, as a YAML literal block reads it, so a pack dumped and loaded
  again gives the same bytes. It is idempotent.
- `text_problem(value, max_length)` caps every text: a field's own
  `max_length`, or `TEXT_MAX_LENGTH` for long texts (descriptions, intros).
- `url_problem(url)` says why an address may not enter the catalog: http,
  https (and mailto for one e-mail address) only, a real host name, no
  credentials, and no loopback, private or reserved host, whatever its
  spelling, unless `SOMMAIRE_FETCH_ALLOWED_NETWORKS` allows it.

Every message is French and says what to fix.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from yarl import URL

from sommaire.fetch.guard import AddressGuard, Blocked, parse_ip, parse_networks

# A description, an intro or a definition: a long text has this cap. 60 MB in
# one description made every page that shows it time out.
TEXT_MAX_LENGTH = 5000
SCHEMES = ("http", "https", "mailto")
EMAIL_RE = re.compile(r"^[^@\s:/?#]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
LOCAL_NAMES = ("localhost", "localhost.localdomain")

# CR LF first, so that it makes one break, not two.
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# C0 and C1 controls (a tab becomes a space before), lone surrogates, and the
# non-characters: XML cannot carry most of them and no reader wants any.
_NONCHARACTERS = "".join(
    chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17)
)
_UNWANTED = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}]")


def clean_text(value: str, multiline: bool = False) -> str:
    """`value` as the catalog stores it; see the module's docstring."""
    value = _LINE_BREAK.sub("\n", value).replace("\t", " ")
    value = _UNWANTED.sub("", value)
    if not multiline:
        value = value.replace("\n", " ")
    value = unicodedata.normalize("NFC", value).strip()
    return value + "\n" if "\n" in value else value


def text_problem(value: str, max_length: int | None = None) -> str:
    """Why a cleaned text is refused, or ''."""
    limit = max_length or TEXT_MAX_LENGTH
    if len(value) > limit:
        length = _count(len(value))
        return f"texte trop long ({length} caractères, {_count(limit)} au plus) : raccourcissez-le"
    return ""


def _count(number: int) -> str:
    """5000 as French writes it: 5 000, with a narrow no-break space."""
    return f"{number:,}".replace(",", "\u202f")


def shown(value, limit: int = 80) -> str:
    """A value quoted in an error message, never whole when it is long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def url_problem(url: str) -> str:
    """Why an address may not enter the catalog, or '' when it is acceptable."""
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        return "l’adresse contient des espaces ou des caractères de contrôle : encodez-les (%20)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "l’adresse est mal formée (hôte ou port) : écrivez-la https://hôte/chemin"
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown_scheme = f"{scheme}:" if scheme else "aucun"
        return (
            f"protocole refusé ({shown_scheme}) : seules les adresses http, https et mailto "
            "sont acceptées, par exemple https://esante.gouv.fr/"
        )
    if scheme == "mailto":
        if not EMAIL_RE.match(parts.path):
            return "une adresse mailto: porte une seule adresse électronique"
        return ""
    if parts.username or parts.password:
        return "l’adresse ne doit porter ni nom d’utilisateur ni mot de passe"
    return _host_problem(parts.hostname or "")


def _host_problem(host: str) -> str:
    local = host in LOCAL_NAMES or host.endswith(".localhost")
    try:
        address = parse_ip("127.0.0.1" if local else host)
    except Blocked:
        return "l’adresse IP de l’hôte est mal formée"
    if address is None:
        if "." not in host.strip("."):
            return "nom d’hôte invalide : écrivez l’adresse complète, https://hôte/chemin"
        return ""
    guard = AddressGuard(parse_networks(settings.FETCH_ALLOWED_NETWORKS))
    try:
        guard.check_url(URL.build(scheme="https", host=str(address)))
    except Blocked:
        return (
            f"hôte local, privé ou réservé ({host}) : le catalogue ne donne que des "
            "adresses publiques"
        )
    return ""


# --- the models' side -----------------------------------------------------------


def text_fields(model) -> list[models.Field]:
    """The text fields an editor can write, of any model: chosen by type."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.editable and not f.choices
    ]


def clean_instance(instance: models.Model, fields=None) -> None:
    """Normalise the text fields of `instance` in place (only `fields` if given)."""
    for field in text_fields(type(instance)):
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            multiline = isinstance(field, models.TextField)
            setattr(instance, field.attname, clean_text(value, multiline))


def problems(instance: models.Model, exclude=()) -> dict[str, str]:
    """Field name -> why its (cleaned) text is refused: length, address."""
    found = {}
    for field in text_fields(type(instance)):
        value = getattr(instance, field.attname)
        if field.name in exclude or not isinstance(value, str):
            continue
        problem = text_problem(value, field.max_length)
        if not problem and value and isinstance(field, models.URLField):
            problem = url_problem(value)
        if problem:
            found[field.name] = problem
    return found


class CleanText(models.Model):
    """A model whose editor text is normalised on every save and checked by `full_clean`.

    Any ModelForm of such a model (back-office, workspace) gets the caps and
    the address rule as field errors; any other write path (a pack load, the
    API, a job) stores the normalised text.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        clean_instance(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        clean_instance(self, [f.name for f in text_fields(type(self)) if f.name not in exclude])
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in problems(self, exclude | errors.keys()).items():
            errors.setdefault(name, []).append(ValidationError(message, code="text"))
        if errors:
            raise ValidationError(errors)
