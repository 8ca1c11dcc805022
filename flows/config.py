"""The user's settings: ``kith.toml`` beside the database (or ``--config``), then the environment.

Everything has a working default, so the file is optional. Example::

    # data/kith.toml
    phone_region = "DE"            # numbers written without +CC are German

    [owner]                        # you: never a contact, never on the list
    names = ["Mara Lindqvist"]
    emails = ["mara@example.com", "mara.lindqvist@work.example"]
    linkedin = ["https://www.linkedin.com/in/mara-lindqvist"]

Environment overrides: ``KITH_PHONE_REGION``, ``KITH_OWNER_EMAILS`` and ``KITH_OWNER_NAMES``
(comma-separated). A key kith does not know is an error, so a typo is not silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import phonenumbers

from transforms.normalize import clean_text, linkedin_slug, normalize_email
from transforms.records import Owner

CONFIG_NAME = "kith.toml"

# section -> key -> expected type, as written in the file
KEYS: dict[str | None, dict[str, type]] = {
    None: {"phone_region": str},
    "owner": {"names": list, "emails": list, "linkedin": list},
}
ENV = {"KITH_PHONE_REGION": (None, "phone_region"), "KITH_OWNER_EMAILS": ("owner", "emails"),
       "KITH_OWNER_NAMES": ("owner", "names")}


class ConfigError(ValueError):
    """A settings file or variable kith cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    owner: Owner = field(default_factory=Owner)
    phone_region: str | None = None
    path: Path | None = None  # the file read, if any
    origins: Mapping[str, str] = field(default_factory=dict)  # setting -> where it came from


def config_path(db: Path, explicit: Path | None = None) -> Path:
    """``--config``/``KITH_CONFIG`` when given, else kith.toml in the database's folder."""
    chosen = explicit or (Path(os.environ["KITH_CONFIG"]) if os.environ.get("KITH_CONFIG") else None)
    return chosen or db.parent / CONFIG_NAME


def load_settings(path: Path, environ: Mapping[str, str] | None = None, required: bool = False) -> Settings:
    """Read ``path`` (absent is fine unless ``required``) and apply environment overrides."""
    environ = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    origins: dict[str, str] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        _check_keys(raw, path)
        origins = {_dotted(section, key): str(path) for section, key in _present(raw)}
    elif required:
        raise ConfigError(f"{path}: no such settings file")
    for var, (section, key) in ENV.items():
        if environ.get(var):
            value: Any = environ[var]
            if KEYS[section][key] is list:
                value = [v.strip() for v in value.split(",") if v.strip()]
            (raw.setdefault(section, {}) if section else raw)[key] = value
            origins[_dotted(section, key)] = f"${var}"
    owner_raw = raw.get("owner", {})
    return Settings(
        owner=_owner(owner_raw, path),
        phone_region=_region(raw.get("phone_region"), origins.get("phone_region", str(path))),
        path=path if path.exists() else None,
        origins=origins,
    )


def _dotted(section: str | None, key: str) -> str:
    return f"{section}.{key}" if section else key


def _present(raw: dict[str, Any]) -> list[tuple[str | None, str]]:
    found = [(None, k) for k in raw if not isinstance(raw[k], dict)]
    found += [(s, k) for s, table in raw.items() if isinstance(table, dict) for k in table]
    return found


def _check_keys(raw: dict[str, Any], path: Path) -> None:
    for section, key in _present(raw):
        expected = KEYS.get(section, {}).get(key)
        where = _dotted(section, key)
        if expected is None:
            known = ", ".join(sorted(_dotted(s, k) for s, keys in KEYS.items() for k in keys))
            raise ConfigError(f"{path}: unknown setting {where!r} (known: {known})")
        value = raw[section][key] if section else raw[key]
        if expected is list and isinstance(value, str):
            continue  # one value where a list is expected is fine
        if not isinstance(value, expected) or (expected is list and not all(isinstance(v, str) for v in value)):
            kind = "a list of strings" if expected is list else "a string"
            raise ConfigError(f"{path}: {where} should be {kind}, got {value!r}")


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _owner(raw: dict[str, Any], path: Path) -> Owner:
    owner = Owner()
    owner.names = {n for n in (clean_text(v) for v in _as_list(raw.get("names"))) if n}
    for value in _as_list(raw.get("emails")):
        email = normalize_email(value)
        if not email:
            raise ConfigError(f"{path}: owner.emails: {value!r} is not an email address")
        owner.emails.add(email)
    for value in _as_list(raw.get("linkedin")):
        slug = linkedin_slug(value)
        if not slug:
            raise ConfigError(f"{path}: owner.linkedin: {value!r} is not a LinkedIn profile URL")
        owner.linkedin_slugs.add(slug)
    return owner


def _region(value: str | None, where: str) -> str | None:
    if not value:
        return None
    region = value.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"{where}: phone_region {value!r} is not a country code like 'US', 'DE' or 'GB'")
    return region
