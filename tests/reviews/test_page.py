import pytest

pytestmark = pytest.mark.django_db


def test_visitor_sees_summary_reviews_and_sign_in_link(client, project, make_review):
    make_review(rating=5, title="<b>Great</b>")
    make_review(rating=3)
    response = client.get(project.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;Great&lt;/b&gt;" in html and "<b>Great</b>" not in html
    assert "4.0" in html and "2 reviews" in html
    assert "Sign in to review" in html
    assert f"/accounts/login/?next={project.url.replace('/', '%2F')}%23review-form" in html
    assert '1<span class="visually-hidden"> review (50%)' in html  # text, not only bars
