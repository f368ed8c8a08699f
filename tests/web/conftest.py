def pytest_terminal_summary(terminalreporter):
    """Say how much the persona-by-route table covered, and whether anything leaked."""
    from web.test_route_access import RULES, USER_NAMES

    reports = [
        r
        for r in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get("failed", [])
        if "test_route_access.py::test_each_persona" in r.nodeid
        or "test_route_access.py::test_anonymous" in r.nodeid
    ]
    if not reports:
        return
    failed = sum(1 for r in reports if r.failed)
    terminalreporter.write_line(
        f"route access: {len(RULES)} routes x {len(USER_NAMES)} personas + anonymous "
        f"= {len(RULES) * (len(USER_NAMES) + 1)} checks; "
        + ("no leaks or refusals" if not failed else f"{failed} routes FAILED")
    )
