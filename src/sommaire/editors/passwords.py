"""A password rule Django's validators lack: enough variety to be guessed slowly.

Twelve characters pass the length rule even when they are twelve spaces, one
key held down (`aaaaaaaaaaaa`) or a short block typed again and again
(`abcabcabcabc`); a guesser tries those first. Listed in
AUTH_PASSWORD_VALIDATORS, so the account forms of the back-office and
`sommaire create-editor` apply it.
"""

from django.core.exceptions import ValidationError

LONGEST_BLOCK = 4  # a block this long or shorter, repeated, is refused


def repeated_block(password: str) -> str | None:
    """The short block the whole password repeats, if it is one ("ab" for "abababab")."""
    for size in range(1, LONGEST_BLOCK + 1):
        block = password[:size]
        if len(password) >= 2 * size and block * (len(password) // size) == password:
            return block
    return None


class VarietyValidator:
    def validate(self, password: str, user=None) -> None:
        if not password.strip():
            raise ValidationError(
                "Ce mot de passe n’est fait que d’espaces : choisissez une phrase de "
                "plusieurs mots, avec des lettres.",
                code="password_blank",
            )
        block = repeated_block(password)
        if block is not None:
            what = "un seul caractère répété" if len(block) == 1 else "un motif court répété"
            raise ValidationError(
                f"Ce mot de passe n’est qu’{what} (« {block} ») : choisissez une phrase de "
                "plusieurs mots différents.",
                code="password_repeated",
            )

    def get_help_text(self) -> str:
        return "Votre mot de passe ne peut pas être fait d’espaces ni d’un motif court répété."
