"""One order of regions for every table, chart and statistics page."""


def region_order(region_code: str, name: str) -> tuple[bool, str, str]:
    """Sort key: regions by KATO code, the order of official statistics; rows that match
    no region (a survey's own category, say) after them, by name."""
    return (not region_code, region_code, name if not region_code else "")
