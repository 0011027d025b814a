"""The dashboard and the development pages run the same number of SQL queries for a small district and for
one with 5,000 people and 20,000 course records."""
from factories.development import bulk_district

PAGES = ["/", "/development/", "/development/people/", "/development/people/?flag=no_course",
         "/development/people/?flag=young_no_mentor", "/development/courses/", "/development/courses/?year=2024",
         "/development/deficits/", "/development/mentoring/", "/development/attestation/",
         "/development/people/{person}/"]


def _queries(count_queries, b, url):
    assert b.get(url).status_code == 200  # warm: the first request of a login refreshes its session row
    with count_queries() as q:
        assert b.get(url).status_code == 200, url
    return q.count


def test_pages_run_a_constant_number_of_queries(make_tenant, make_user, make_browser, count_queries):
    counts = {page: [] for page in PAGES}
    for people, courses in ((60, 200), (5000, 20000)):
        tenant = make_tenant()
        built = bulk_district(tenant, people, courses)
        b = make_browser(make_user(tenant, role="methodist").email)
        for page in PAGES:
            url = f"/{tenant.slug}" + page.format(person=built["people"][0])
            counts[page].append(_queries(count_queries, b, url))
        home = b.get(f"/{tenant.slug}/").get_data(as_text=True)
        assert 'id="dash-courses"' in home and 'id="dash-deficits"' in home
    for page, (small, large) in counts.items():
        assert small == large, f"{page}: {small} queries for a small district, {large} for a large one"
        assert large < 30, f"{page}: {large} queries"
