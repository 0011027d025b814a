"""Setting up a district's organisation from a preset."""


def configure_from_preset(tenant, preset: dict) -> None:
    """Create the district's structure, directions and functions from a preset."""
