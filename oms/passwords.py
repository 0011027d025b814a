"""Password policy: long ones welcome, guessable ones refused (zxcvbn)."""
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline attacks"


def password_problem(password: str, user_inputs: list[str] | None = None) -> str | None:
    """A message saying what is wrong with the password (in the user's language), or None."""
    if len(password) < MIN_LENGTH:
        return _("Пароль должен быть не короче %(n)d символов.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Пароль должен быть не длиннее %(n)d символов.", n=MAX_LENGTH)
    if _same_as_own_data(password, user_inputs or []):
        return _("Пароль не должен совпадать с адресом почты или именем: их знают другие.")
    inputs = [str(value) for value in (user_inputs or []) if value]
    inputs += [part for value in (user_inputs or []) for part in str(value).replace("@", " ").replace(".", " ").split() if part]
    # zxcvbn takes at most 72 characters (its cost grows with length); they decide the score.
    if zxcvbn(password[:72], user_inputs=inputs)["score"] < MIN_SCORE:
        return _("Пароль слишком простой или распространённый. Возьмите фразу из нескольких слов "
                 "или добавьте неочевидные слова и символы.")
    return None


def _squeezed(text: str) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def _same_as_own_data(password: str, user_inputs: list[str]) -> bool:
    """The account's own e-mail (or its name before @) or the person's name, whatever the case and separators."""
    mine = _squeezed(password)
    if not mine:
        return False
    own = set()
    for value in user_inputs:
        value = str(value or "")
        own.add(_squeezed(value))
        if "@" in value:
            own.add(_squeezed(value.split("@", 1)[0]))
        words = value.split()
        if len(words) > 1:
            own.add(_squeezed(" ".join(reversed(words))))
    own.discard("")
    return mine in own
