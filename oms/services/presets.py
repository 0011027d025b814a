"""District presets: one TOML file per seed district, plus a blank one.

A preset is configuration data — profile, terms, structure, directions,
functions, forms of work — that a new district starts from and then edits in
the UI. No code knows a district by name.
"""
import tomllib
from functools import lru_cache
from pathlib import Path

PRESET_DIR = Path(__file__).resolve().parent.parent / "presets"

PROFILE_FIELDS = ("name", "full_name", "region", "authority", "authority_genitive", "service_name",
                  "service_name_genitive", "service_abbr", "head_title", "act_kind", "act_issuer",
                  "act_issuer_genitive", "act_title", "act_number", "act_date", "time_zone")


@lru_cache(maxsize=None)
def load_preset(code: str) -> dict:
    path = PRESET_DIR / f"{code}.toml"
    if not code.replace("_", "").isalnum() or not path.is_file():
        raise KeyError(code)
    with path.open("rb") as fh:
        return tomllib.load(fh)


def preset_choices() -> list[tuple[str, str]]:
    codes = sorted(p.stem for p in PRESET_DIR.glob("*.toml"))
    codes.sort(key=lambda c: c != "blank")
    return [(code, load_preset(code).get("title", code)) for code in codes]


def apply_profile(tenant, preset: dict, overwrite: bool = True) -> None:
    """Fill the district's profile and terms from a preset."""
    profile = preset.get("profile", {})
    for field in PROFILE_FIELDS:
        if field in profile and (overwrite or not getattr(tenant, field)):
            setattr(tenant, field, profile[field])
    if "partners" in profile and (overwrite or not tenant.partners):
        tenant.partners = "\n".join(profile["partners"])
    tenant.model_kind = preset.get("model_kind", tenant.model_kind or "department")
    tenant.terms = dict(preset.get("terms", {}))
