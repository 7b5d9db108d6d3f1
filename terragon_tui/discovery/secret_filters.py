"""Why a potential secret is a false positive: the shapes detect-secrets' own filters miss.

`false_positive()` runs in the worker, where the value is known, and answers with one of
the fixed reasons below (never the value, never the key): those reasons are what the
cache, the scan result and its counts keep.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

KEY_NAME = "value is its own key name"
PLACEHOLDER = "placeholder value"
DEFAULT = "well-known default credential, not a leaked secret"
STATUS = "a status word, not a secret"
CI_SERVICE = "a CI job's throw-away database password"
PUBLIC = "named public: a key meant to be published (publishable, anon, client-side)"
REFERENCE = "reference to a secret, not its value"
PINNED = "pinned revision or content hash"
LOCK_FILE = "hash in a lock file"
BASELINE_FILE = "detect-secrets baseline file"
AUDITED = "audited false positive in .secrets.baseline"
#: What each of detect-secrets' default line and hit filters says when it drops a hit.
LIBRARY_REASONS = {
    "is_line_allowlisted": "allowlisted inline (pragma: allowlist secret)",
    "is_indirect_reference": "indirect reference (detect-secrets)",
    "is_templated_secret": "template placeholder (detect-secrets)",
    "is_prefixed_with_dollar_sign": "$variable (detect-secrets)",
    "is_sequential_string": "sequential string (detect-secrets)",
    "is_potential_uuid": "UUID (detect-secrets)",
    "is_likely_id_string": "identifier, not a secret (detect-secrets)",
    "is_not_alphanumeric_string": "no letters (detect-secrets)",
}

KEYWORD = "Secret Keyword"
BASIC_AUTH = "Basic Auth Credentials"
ENTROPY = frozenset({"Base64 High Entropy String", "Hex High Entropy String"})
#: Hits with nothing of ours to judge: an address, and a key block (its value is its header).
_NOT_JUDGED = frozenset({"Public IP (ipv4)", "Private Key"})

#: Lock files by name: detect-secrets' is_lock_file list and the ones it lacks. Their
#: high-entropy strings are package hashes; a credential in a resolved URL is still found.
#: (Files ending in .lock or .sum are never read: detect-secrets counts them as non-text.)
LOCK_FILES = frozenset(
    "Brewfile.lock.json Cartfile.resolved composer.lock Gemfile.lock Package.resolved "  # noqa: SIM905
    "package-lock.json npm-shrinkwrap.json Podfile.lock yarn.lock Pipfile.lock poetry.lock "
    "Cargo.lock packages.lock.json pnpm-lock.yaml uv.lock pdm.lock bun.lock go.sum "
    "flake.lock mix.lock pubspec.lock conda-lock.yml".split()
)
#: Its own name: the baseline holds hashes of audited secrets, nothing else.
BASELINE_NAME = ".secrets.baseline"

#: Credentials every database image and tutorial ships with (a CI service container's
#: `db_password: root`): weak if used for real, but known to everyone, so nothing leaks.
_WELL_KNOWN_DEFAULTS = frozenset(
    "root toor admin administrator postgres postgresql mysql mariadb redis mongo guest "  # noqa: SIM905
    "user pass letmein qwerty 1234 12345 123456 changeit oracle sa django".split()
)
#: Values that say how something went or is set (`"secrets_handling": "passed"`).
_STATUS_WORDS = frozenset(
    "passed failed failing success succeeded error errors ok okay pending skipped enabled "  # noqa: SIM905
    "disabled true false none null yes no on off required optional unknown hidden masked "
    "redacted valid invalid missing present set unset configured inherit inherited".split()
)
#: Words that dress a value up without making it secret: `your-api-key-here`, `test-secret`.
_FILLER = frozenset(
    "a an the my your our their this here goes value placeholder example sample dummy "  # noqa: SIM905
    "fake mock test testing demo default dev local new some please choose enter insert "
    "put set change me replace strong secure real actual".split()
)
#: Words that only a placeholder carries as a word of its own (never "test" inside a key).
_MARKERS = frozenset(
    "your here example sample dummy fake mock test testing demo default placeholder "  # noqa: SIM905
    "changeme change replace redacted insert todo fixme foo bar baz qux foobar".split()
)
#: A value made of these words alone (`secret`, `password123`) names the thing, not a secret.
_NOUNS = frozenset(
    "password passwd pass pwd secret secrets token key keys apikey api changeme "  # noqa: SIM905
    "credential credentials".split()
)
#: A key with one of these words names a key made to be seen: `SUPABASE_PUBLIC_API_KEY`, a
#: Stripe `publishable_key`, `NEXT_PUBLIC_...` (shipped to the browser by design).
_PUBLIC_WORDS = frozenset({"public", "publishable"})
#: A key with one of these words names where or how a secret is kept, not the secret.
_REFERENCE_WORDS = frozenset(
    "ref refs reference name names filename file path env existing arn from".split()  # noqa: SIM905
)
#: A key ending in one of these describes the secret (its status, length, format...).
_DESCRIBING_LAST = frozenset(
    "status type kind mode policy provider prefix suffix length len size min max count "  # noqa: SIM905
    "hint prompt pattern regex format template message msg error errors help description "
    "desc title label field header param enabled required".split()
)
#: A key with one of these words labels a revision or a content hash.
_HASH_WORDS = frozenset(
    "rev revision commit sha sha1 sha256 sha384 sha512 md5 hash hashes hashed checksum "  # noqa: SIM905
    "checksums digest integrity etag fingerprint shasum cache".split()
)
_HASH_LABEL = re.compile(r"(?:sha(?:1|224|256|384|512)|md5|blake2[bs]?)[-:=]$", re.IGNORECASE)
_HASH_PREFIX = re.compile(r"^(?:sha(?:1|224|256|384|512)|md5|blake2[bs]?)[-:=]", re.IGNORECASE)

#: The key a value is assigned to, read from the text just before the value:
#: `password="`, `"db_password": "`, `ctx["x"] = "`, `SECRET_KEY: `, `export TOKEN=`.
_ASSIGNED = re.compile(
    r"([A-Za-z_][\w\-]*)"  # the key
    r"[\]\"'`]*\s*"  # a closing quote or bracket
    r"(?:=>|:=|===?|!==?|[:=])\s*"  # the assignment (or comparison)
    r"@?(?:[bBrRuUfF]{1,2}(?=[\"']))?[\"'`]{0,2}\s*$"  # a string's opening
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
#: Only words and separators: `Password#2024!` is a chosen password, not a key name.
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\s\-_.]*$")
_SEPARATORS = re.compile(r"[\s\-_.:/,]+")
#: A word as people write one: lower, UPPER, Capitalised or camelCase parts, maybe digits after.
_WORDLIKE = re.compile(r"^(?:[a-z]+|[A-Z]+|[A-Z]?[a-z]+(?:[A-Z][a-z]+)*)\d{0,4}$|^\d{1,4}$")
_COUNTING = "01234567890123456789"  # `test-secret-1234567890`: digits counted, not chosen
_TEMPLATE = re.compile(
    r"<[^<>\s][^<>]*>|\{\{.*\}\}|\$\{[^}]*\}|\$\([^)]*\)|%\(\w+\)[sdr]|\{[A-Za-z_]\w*\}"
)
#: tox's `{env:DB_PASSWORD:fallback}`: the value is looked up; the fallback is for a test box.
_TOX_ENV = re.compile(r"\{env:[A-Za-z_]\w*:([^}]*)\}")
#: CI workflow files, where a database service container gets a throw-away password.
_CI_FILE = re.compile(r"(^|/)\.github/workflows/[^/]+\.ya?ml$|(^|/)\.gitlab-ci\.ya?ml$")
_SERVICE_KEY = re.compile(
    r"(POSTGRES|MYSQL|MARIADB|MONGO|REDIS|RABBITMQ|DB|DATABASE)\w*_PASS(WORD)?", re.IGNORECASE
)
#: `mock_...`, `fake-...`, `dummy_...`: what follows is a test value, whatever it looks like.
_STAND_IN = re.compile(r"^(?:mock|fake|dummy)[-_.]", re.IGNORECASE)
_MASKED = re.compile(r"\*{3,}|\.{3,}|…|[xX]{4,}")
#: `settings.SECRET_KEY`, `.Values.token`; `os.getenv(`, `config[`, `ENV[`: the value is
#: looked up elsewhere (detect-secrets' plugins cut a value at its first quote).
_LOOKUP = re.compile(
    r"^\.?(?:settings|config|conf|cfg|env|environ|os|process|secrets|vars|self|app|ctx|context|"
    r"request|options|opts|args|params|values|Values)(?:\.[A-Za-z_]\w*)+$"
    r"|^(?:(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*|getenv|env|environ|ENV|config|settings|secrets|vault)"
    r"[\[(]"
)
_SCHEME = re.compile(
    r"^(?:env|secret|secrets|vault|ssm|file|op|sops|keyring|arn:aws:(?:secretsmanager|ssm)):",
    re.IGNORECASE,
)
_FILE_PATH = re.compile(
    r"^[\w.~\-]*[/\\][\w.~\-/\\]*\.(?:pem|key|crt|cer|der|p8|p12|pfx|jks|keystore|pub|ppk|"
    r"json|ya?ml|txt|env|ini|cfg|conf|gpg|asc|enc|secret|token)$",
    re.IGNORECASE,
)


def library_reason(filter_path: str) -> str:
    """The reason for a hit the detect-secrets filter at `filter_path` drops."""
    name = filter_path.rpartition(".")[2].rpartition(":")[2]
    return LIBRARY_REASONS.get(name, f"detect-secrets filter {name or '?'}")


def words(text: str) -> list[str]:
    """The lower-cased words of an identifier or phrase: `NACL_SecretBox2` -> nacl secret box 2."""
    return [w.lower() for w in _WORD.findall(text)]


def assigned_key(line: str, value: str) -> str | None:
    """The name `value` is assigned to on `line`, if the text before it reads as one.

    The first occurrence that follows an assignment counts: in `password: "password"` the
    value is the second one.
    """
    position = line.find(value)
    while position >= 0:
        match = _ASSIGNED.search(line[max(0, position - 200) : position])
        if match is not None:
            return match.group(1)
        position = line.find(value, position + 1)
    return None


def false_positive(
    secret_type: str, value: str, line: str, path: str, text: str = ""
) -> str | None:
    """The reason the potential secret `value` on `line` of `path` is not one, or None.

    `text` is what the plugin matched around the value when it keeps only a part of it (a
    GitHub token's value is its prefix, `ghp`); placeholders are judged on the whole text.
    """
    name = PurePosixPath(path).name
    if name == BASELINE_NAME:
        return BASELINE_FILE
    if secret_type in _NOT_JUDGED or not value:
        return None
    key = assigned_key(line, value)
    if key is not None and _PUBLIC_WORDS & set(words(key)):
        return PUBLIC
    if secret_type in ENTROPY:
        if name in LOCK_FILES:
            return LOCK_FILE
        if _is_pinned(value, line, key):
            return PINNED
    if secret_type == KEYWORD or secret_type in ENTROPY:
        if key is not None and _names_a_reference(key):
            return REFERENCE
        if _is_reference(value):
            return REFERENCE
        if value.rstrip("}") in _TOX_ENV.findall(line):
            return REFERENCE
    if secret_type == KEYWORD and key is not None and _from_key(value, key):
        return KEY_NAME
    bare = value.strip("'\"").lower()
    if secret_type in (KEYWORD, BASIC_AUTH) and bare in _WELL_KNOWN_DEFAULTS:
        return DEFAULT
    if secret_type == KEYWORD and bare in _STATUS_WORDS:
        return STATUS
    if (
        secret_type == KEYWORD
        and _CI_FILE.search(path)
        and key is not None
        and _SERVICE_KEY.search(key)
        and _PLAIN.match(value)
    ):
        return CI_SERVICE
    if is_placeholder(text or value):
        return PLACEHOLDER
    return None


def _is_pinned(value: str, line: str, key: str | None) -> bool:
    if _HASH_PREFIX.match(value):
        return True  # `sha512-...` in an integrity field
    position = line.find(value)
    if position > 0 and _HASH_LABEL.search(line[max(0, position - 8) : position]):
        return True  # `--hash=sha256:...`, `@sha256:...`
    return key is not None and bool(_HASH_WORDS & set(words(key)))


def _names_a_reference(key: str) -> bool:
    """`secretName`, `secretKeyRef`, `valueFrom`, `password_file`, `existingSecret`, `api_key_env`,
    or a key describing the secret (`password_status`, `token_length`)."""
    parts = words(key)
    return bool(parts) and (bool(_REFERENCE_WORDS & set(parts)) or parts[-1] in _DESCRIBING_LAST)


def _is_reference(value: str) -> bool:
    """A lookup (`settings.SECRET_KEY`, `getenv(`), a scheme (`vault:...`), a key file path,
    or a phrase saying where the value comes from (`from secret`)."""
    if _LOOKUP.match(value) or _SCHEME.match(value) or _FILE_PATH.match(value):
        return True
    parts = set(words(value))
    return "from" in parts and bool(parts & {"secret", "secrets", "vault", "env", "environment"})


def _from_key(value: str, key: str) -> bool:
    """`API_KEY = "api_key"`, `password: "password"`, `"db_password": "db_password_here"`."""
    if not _PLAIN.match(value):
        return False
    key_words = words(key)
    own = [w for w in words(value) if w not in _FILLER and not (w.isdigit() and len(w) <= 4)]
    if not own or not key_words:
        return False
    joined = "".join(own)
    if set(own) <= set(key_words) or (len(joined) >= 3 and joined in "".join(key_words)):
        return True
    # `POSTGRES_PASSWORD: ado_password`: a name and the key's own noun, a made-up stand-in
    return (
        len(own) <= 3
        and own[-1] == key_words[-1]
        and own[-1] in _NOUNS
        and all(w.isalpha() for w in own)
    )


#: What a placeholder is made of, for words written together (`changethis`, `yourkeyhere`).
_PLACEHOLDER_WORDS = frozenset(w for w in _FILLER | _MARKERS | _NOUNS if len(w) > 1)


def _run_together(word: str) -> list[str]:
    """`word` as the placeholder words it is written of (`changethis` -> change, this), or as
    itself when it is not made of them alone."""
    if word in _PLACEHOLDER_WORDS or not word.isalpha():
        return [word]
    # splits[i]: the words of word[:i], when it is made of placeholder words alone
    splits: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(2, len(word) + 1):
        for start in range(end - 1):
            head = splits[start]
            if head is not None and word[start:end] in _PLACEHOLDER_WORDS:
                splits[end] = [*head, word[start:end]]
                break
    return splits[-1] or [word]


def is_placeholder(value: str) -> bool:
    """A stand-in for a secret: a template, a mask, one repeated character, or words alone.

    Words count only when every part of the value reads as a word and one is a marker
    (`your`, `example`, `test`, `dummy`...) or all are nouns (`secret`, `password123`): a
    random key with `test` somewhere inside it has other parts that are not words.
    """
    if _TEMPLATE.search(value) or _MASKED.search(value):
        return True
    letters = [c for c in value if c.isalnum()]
    if len(letters) >= 3 and len(set(letters)) == 1:
        return True
    if _STAND_IN.match(value):
        return True
    parts = [p for p in _SEPARATORS.split(value) if p]
    if not parts or not all(_WORDLIKE.match(p) or p in _COUNTING for p in parts):
        return False
    found = [w for p in parts for word in words(p) for w in _run_together(word)]
    if _MARKERS & set(found):
        return True
    return all(w in _NOUNS or w in _FILLER or w.isdigit() for w in found)
