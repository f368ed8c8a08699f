def test_the_audit_reports_a_violation_when_there_is_one(new_page, a11y):
    """The journey's 'no violation' means something only if the audit can see one."""
    page = new_page("en")
    page.goto(f"{page.base_url}/login/")
    a11y.check(page, "login")
    assert not a11y.violations
    page.evaluate("document.querySelector('#id_username').removeAttribute('id')")
    a11y.check(page, "login with an unlabelled field")
    assert "login with an unlabelled field" in a11y.violations
    assert any(v.startswith("label") for v in a11y.violations["login with an unlabelled field"])
